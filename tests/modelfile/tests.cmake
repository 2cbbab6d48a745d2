# test_modelfile reads reference arrays (.npy) and edits safetensors files.
if(TARGET test_modelfile)
  target_link_libraries(test_modelfile PRIVATE auris_io)
endif()
