# nn tests read PyTorch reference data (.npy) with the io module's reader;
# only the test executable links io, the nn library itself does not.
if(TARGET test_nn)
  target_link_libraries(test_nn PRIVATE auris_io)
endif()
