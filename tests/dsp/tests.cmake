# test_dsp reads reference arrays (.npy) written by tests/reference/make_*.py.
if(TARGET test_dsp)
  target_link_libraries(test_dsp PRIVATE auris_io)
endif()
