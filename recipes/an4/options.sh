# The shipped AN4 recogniser's settings (sourced by run.sh).
# 16 kHz, 80 log-mel bins, online (causal) mean/variance normalisation whose
# prior is the training data's statistics (Kaldi's apply-cmvn-online: 600-frame
# window, 200 prior frames), so the input's level is normalised away as it
# streams; causal LSTM + windowed causal self-attention, CTC over characters
# ("|" between words), so a word never seen in training can still be spelled.
FEATURE_OPTIONS=(--type fbank --sample-frequency 16000 --num-mel-bins 80 --cmvn online --norm-vars)
# 3 frames per network step (30 ms): about 4x the training throughput per
# core of 10-ms steps, so 120 epochs fit in less time than 40 took before
# (README: how each setting was chosen).
MODEL_OPTIONS=(--arch ctc-lstm --units chars --hidden 256 --lstm-layers 3 --dropout 0.15 --stack-frames 3)
EPOCHS=120
# The final model is the mean of the last 10 epochs' weights.
# 2 gradient shards: as the shipped model was trained (results depend on the
# shard count, not on the thread count).
TRAIN_OPTIONS=(--batch-size 16 --lr 0.002 --average-last 10 --gradient-shards 2 -q --strict)
# Speed perturbation (random 0.9-1.1 per example and epoch) and SpecAugment,
# as the peers' AN4 recipes use; levels from -10 to +20 dB (AN4 is recorded
# quietly; the start of an utterance, before the window has its own frames,
# still sees the level).
AUGMENT_OPTIONS=(--aug-speed 0.9 1.1 --aug-gain-db -10 20
                 --spec-time-masks 2 --spec-time-width 20 --spec-freq-masks 2 --spec-freq-width 15)
# Word LM (trigram, interpolated modified Kneser-Ney) of the training
# transcripts; the fusion weights are chosen on dev by run.sh (lowest WER over
# this grid), then stored in the model with the beam.
LM_ORDER=3
BEAM=16
LM_WEIGHTS=(0.3 0.4 0.6 0.8 1.0 1.5)
WORD_BONUSES=(0 1 2 3 4 5)
