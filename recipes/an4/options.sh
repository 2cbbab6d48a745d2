# The shipped AN4 recogniser's settings (sourced by run.sh).
# 16 kHz, 80 log-mel bins, global mean/variance normalisation learnt from the
# training data (streaming-consistent), causal LSTM + windowed causal
# self-attention, CTC over characters ("|" between words), so a word never
# seen in training can still be spelled.
FEATURE_OPTIONS=(--type fbank --sample-frequency 16000 --num-mel-bins 80 --cmvn train --norm-vars)
MODEL_OPTIONS=(--arch ctc-lstm --units chars --hidden 256 --lstm-layers 3 --dropout 0.15)
EPOCHS=40
# The final model is the mean of the last 10 epochs' weights.
TRAIN_OPTIONS=(--batch-size 16 --lr 0.002 --average-last 10 -q --strict)
# Speed perturbation (random 0.9-1.1 per example and epoch) and SpecAugment,
# as the peers' AN4 recipes use.
AUGMENT_OPTIONS=(--aug-speed 0.9 1.1 --aug-gain-db -6 6
                 --spec-time-masks 2 --spec-time-width 20 --spec-freq-masks 2 --spec-freq-width 15)
