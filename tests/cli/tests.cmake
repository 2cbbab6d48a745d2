# test_cli builds its test models in process (nn::Model + modelfile::SaveModel,
# pipeline::FeatureConfigToJson) and reads reference arrays (.npy).
if(TARGET test_cli)
  target_link_libraries(test_cli PRIVATE auris_pipeline auris_io)
endif()
