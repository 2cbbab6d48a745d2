# test_nn reads reference tensors (.npy) written by tests/reference/make_nn_*.py;
# the CTC learning test decodes with decode's greedy CTC decoder.
if(TARGET test_nn)
  target_link_libraries(test_nn PRIVATE auris_io auris_decode)
endif()
