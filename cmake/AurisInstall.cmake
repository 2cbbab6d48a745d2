# cmake --install: public headers, one static library per module, the auris
# binary, the CMake package (find_package(auris) -> auris::<module>) and
# auris.pc for pkg-config.
include(CMakePackageConfigHelpers)

get_property(auris_modules GLOBAL PROPERTY AURIS_MODULES)
install(TARGETS ${auris_modules} EXPORT aurisTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS auris RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/auris DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web DESTINATION ${CMAKE_INSTALL_DATADIR}/auris)
# Eigen's alignment and vector code in the public headers must be those the
# libraries were compiled with: a consumer compiles with the same flags.
foreach(flag ${AURIS_ARCH_FLAGS})
  target_compile_options(auris_core INTERFACE $<INSTALL_INTERFACE:${flag}>)
endforeach()

set(auris_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/auris)
install(EXPORT aurisTargets NAMESPACE auris:: DESTINATION ${auris_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/aurisConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/aurisConfig.cmake INSTALL_DESTINATION ${auris_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/aurisConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/aurisConfig.cmake ${PROJECT_BINARY_DIR}/aurisConfigVersion.cmake
        DESTINATION ${auris_cmake_dir})

# pkg-config: static libraries only, so the libraries they use are plain
# Requires (a consumer links them whether or not it passes --static), and the
# modules are listed users before used, as a static link needs.
set(auris_pc_libs "")
foreach(module serve train pipeline modelfile plot io nn decode dsp audio core)
  string(APPEND auris_pc_libs " -lauris_${module}")
endforeach()
list(JOIN AURIS_ARCH_FLAGS " " auris_pc_cflags)
# The prefix relative to the .pc file, so the installed tree can be moved.
file(RELATIVE_PATH auris_pc_prefix /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" auris_pc_prefix "${auris_pc_prefix}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/auris.pc.in ${PROJECT_BINARY_DIR}/auris.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/auris.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
