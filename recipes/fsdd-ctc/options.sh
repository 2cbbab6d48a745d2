# The shipped connected-digit CTC model's settings (sourced by run.sh).
# 8 kHz audio (FSDD's rate), 40 log-mel bins, global mean/variance
# normalisation learnt from the training data (streaming-consistent, unlike
# per-utterance CMVN), causal 2-layer LSTM + windowed causal self-attention.
FEATURE_OPTIONS=(--type fbank --sample-frequency 8000 --num-mel-bins 40 --cmvn train --norm-vars)
# Three 10-ms frames per model step (30 ms): against the 10-ms model (20
# epochs) 0.85 vs 2.56 % validation WER, 3x less training time per epoch.
MODEL_OPTIONS=(--arch ctc-lstm --hidden 160 --lstm-layers 2 --dropout 0.1 --boundary-head on --stack-frames 3)
# 40 epochs: the 30-ms model trains in 18 min on 2 cores.
EPOCHS=40
# The final model is the mean of the last 10 epochs' weights: the validation
# set (840 words) is too small to pick one epoch, and single epochs vary.
# 2 gradient shards: as the shipped model was trained (the default is 8; a
# model depends on the shard count, not on the thread count).
TRAIN_OPTIONS=(--batch-size 32 --lr 0.002 --average-last 10 --gradient-shards 2 -q --strict)
AUGMENT_OPTIONS=(--aug-speed 0.9 1.1 --aug-vtlp 0.9 1.1 --aug-gain-db -6 6
                 --spec-time-masks 2 --spec-time-width 8 --spec-freq-masks 2 --spec-freq-width 6)
# Connected-digit strings (auris make-digits): FSDD takes 5-49, synthetic voices, noise on some.
TRAIN_STRINGS=4500
SYNTH_STRINGS=1500
TRAIN_NOISE=(--noise-prob 0.3 --snr-db 10 40)
# AN4's digit strings of its training speakers (real, 16 kHz, resampled to
# 8 kHz on reading): 164 utterances, each used this many times per epoch.
AN4_REPEAT=6
