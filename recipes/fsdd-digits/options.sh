# The shipped digit model's settings (sourced by run.sh and loso.sh).
# 8 kHz audio (FSDD's rate), 40 log-mel bins, per-utterance mean
# normalisation (removes each microphone's colouring: the biggest single
# help for unseen speakers).
FEATURE_OPTIONS=(--type fbank --sample-frequency 8000 --num-mel-bins 40 --cmvn utt)
MODEL_OPTIONS=(--arch lstm-attpool --hidden 128 --lstm-layers 2 --dropout 0.1)
# Test-time VTLN search over warps 0.9..1.1: speaker normalisation, +1.5
# points on average on an unseen speaker (george, two seeds).
# 2 gradient shards: as the shipped model was trained (the default is 8).
# 45 epochs of one model on 2 threads (80 of 3 before AN4; each epoch is
# 40 % larger now): for training time, not chosen on any data. The best epoch
# is chosen on AN4's dev speakers.
TRAIN_OPTIONS=(--epochs 45 --batch-size 32 --lr 0.002 --gradient-shards 2 -q --strict --vtln-search 0.9 1.1 0.05)
# One model (3 before AN4). With 2 members of 20 epochs each, one member
# alone was better on AN4's dev speakers than their ensemble (81.9 vs
# 80.7 %), so the time goes into epochs of one model; with K members run.sh
# ships the ensemble unless one member alone is better on dev.
MEMBERS=1
# AN4 training speakers' digit cuts (cut_an4.sh; ~900 words), each used this
# many times per epoch among FSDD's 2,700 takes and 1,530 synthetic digits.
AN4_REPEAT=2
# No --aug-pad-ms: up to 300 ms of digital-zero padding (noise on half the
# examples) left the model at 70 % on its own FSDD training takes after 20
# epochs (zeros dominate per-utterance CMVN statistics), and 1 s tripled
# the frames per epoch.
AUGMENT_OPTIONS=(--aug-speed 0.9 1.1 --aug-vtlp 0.9 1.1 --aug-gain-db -6 6 --aug-shift-ms 50
                 --aug-noise-prob 0.5 --aug-snr-db 5 30
                 --spec-time-masks 2 --spec-time-width 8 --spec-freq-masks 2 --spec-freq-width 6)
# Speech trimming stored in the model (auris attach-trim): the defaults,
# A = 15 dB above the background, 200 ms margins, chosen on the AN4 dev
# speakers' words padded with noise or zeros (README). Empty: none.
TRIM_OPTIONS=(--above-floor-db 15 --below-peak-db 40 --margin-ms 200)
