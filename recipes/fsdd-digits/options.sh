# The shipped digit model's settings (sourced by run.sh and loso.sh).
# 8 kHz audio (FSDD's rate), 40 log-mel bins, per-utterance mean
# normalisation (removes each microphone's colouring: the biggest single
# help for unseen speakers).
FEATURE_OPTIONS=(--type fbank --sample-frequency 8000 --num-mel-bins 40 --cmvn utt)
MODEL_OPTIONS=(--arch lstm-attpool --hidden 128 --lstm-layers 2 --dropout 0.1)
# Test-time VTLN search over warps 0.9..1.1: speaker normalisation, +1.5
# points on average on an unseen speaker (george, two seeds).
# 2 gradient shards: as the shipped model was trained (the default is 8).
TRAIN_OPTIONS=(--epochs 80 --batch-size 32 --lr 0.002 --gradient-shards 2 -q --strict --vtln-search 0.9 1.1 0.05)
# An ensemble of 3 models (seeds SEED, SEED+1, SEED+2): 296 / 300 on the
# official split, where its members get 294-296.
MEMBERS=3
AUGMENT_OPTIONS=(--aug-speed 0.9 1.1 --aug-vtlp 0.9 1.1 --aug-gain-db -6 6 --aug-shift-ms 50
                 --aug-noise-prob 0.5 --aug-snr-db 5 30
                 --spec-time-masks 2 --spec-time-width 8 --spec-freq-masks 2 --spec-freq-width 6)
