"""Models: classification, transcription, streaming recognition and keyword
spotting, as `auris classify`, `auris transcribe` and `auris live` run them."""
import json
import os
from typing import List, NamedTuple

from . import _auris
from ._errors import file_errors


class Word(NamedTuple):
    """A transcribed word: times in seconds from the start, conf in (0, 1]."""
    word: str
    start: float
    end: float
    conf: float


class Result(NamedTuple):
    """A transcript: the words joined by spaces, and each word with its times."""
    text: str
    words: List[Word]


class Stream:
    """Audio fed as it arrives, results as events: the dicts `auris live
    --json` prints. A CTC model gives {"type": "partial"|"final", "text",
    "start", "end"} (finals add "score" and "words"); a classifier gives
    {"type": "keyword", "label", "score", "start", "end", "emitted"}.
    Many streams can share one Recognizer; each holds its own state.
    """

    def __init__(self, impl, sample_rate):
        self._impl = impl
        self.sample_rate = sample_rate

    def accept_waveform(self, sample_rate, samples):
        """Appends samples (float in [-1, 1] or int16; one rate per stream,
        resampled to the model's) and runs every frame now complete. The GIL
        is released meanwhile."""
        self._impl.accept_waveform(float(sample_rate), samples)

    def input_finished(self):
        """No more audio: decodes the last frames (the final transcript)."""
        self._impl.input_finished()

    def events(self):
        """Yields the events produced since the last call, oldest first."""
        for line in self._impl.take_events():
            yield json.loads(line)

    def reset(self):
        """Starts over: a fresh stream on the same model, pending events dropped."""
        self._impl.reset()

    @property
    def seconds_seen(self):
        """Audio accepted since the start (or the last reset), in seconds."""
        return self._impl.seconds_seen


class Recognizer:
    """A model file loaded for inference, with the features it was trained on.

    >>> rec = auris.Recognizer("data/models/digits-ctc.safetensors")
    >>> rec.transcribe(samples, 16000).text
    Samples are float in [-1, 1] or int16, at any rate: other rates than the
    model's (sample_rate) are resampled (soxr), as the CLI resamples files.
    Raises auris.FileError for a missing or invalid model file.
    """

    def __init__(self, model_path):
        self.path = os.fspath(model_path)
        self._impl = file_errors(_auris.Recognizer, self.path)

    @property
    def labels(self):
        """The network's output labels (a CTC model's first is the blank)."""
        return self._impl.labels

    @property
    def sample_rate(self):
        return self._impl.sample_rate

    @property
    def task(self):
        """"classify" or "ctc"."""
        return self._impl.task

    def classify(self, samples, sample_rate, top_k=1):
        """[(label, probability)] of the top_k labels, most probable first; as
        `auris classify` (VTLN warp search included when the model has one)."""
        return self._impl.classify(samples, float(sample_rate), int(top_k))

    def transcribe(self, samples, sample_rate, beam=0):
        """Result(text, words) of a CTC model, as `auris transcribe`; beam 0 is
        greedy decoding, N keeps N prefixes."""
        text, words = self._impl.transcribe(samples, float(sample_rate), int(beam))
        return Result(text, [Word(*w) for w in words])

    def create_stream(self, beam=0, endpoint_ms=800, max_utterance=30.0, **keyword_options):
        """A Stream: a CTC model transcribes (an utterance ends after
        endpoint_ms of silence after its last word); a classifier spots
        keywords (keyword_options as KeywordSpotter takes them)."""
        impl = _auris.Stream(self._impl, int(beam), float(endpoint_ms), float(max_utterance),
                             _keyword_options(**keyword_options))
        return Stream(impl, self.sample_rate)

    def __repr__(self):
        return f"Recognizer({self.path!r}, task={self.task!r}, labels={len(self.labels)})"


def _keyword_options(threshold=None, label_thresholds=None, smooth_ms=None, refractory_ms=None,
                     peak_wait_ms=None, window_ms=None, hop_ms=None, min_age_ms=None):
    options = _auris.KeywordSpotterOptions()
    given = dict(threshold=threshold, label_thresholds=label_thresholds, smooth_ms=smooth_ms,
                 refractory_ms=refractory_ms, peak_wait_ms=peak_wait_ms, window_ms=window_ms,
                 hop_ms=hop_ms, min_age_ms=min_age_ms)
    for name, value in given.items():
        if value is not None:
            setattr(options, name, value)
    return options


class KeywordSpotter(Stream):
    """Keyword spotting over a stream with a classification model, as `auris
    live` does: events {"type": "keyword", "label", "score", "start", "end",
    "emitted"}. threshold: the smoothed posterior that fires an event (None:
    the CLI's default); label_thresholds: {label: threshold}; the other
    options as the CLI's --smooth-ms, --refractory-ms, --peak-wait-ms,
    --window-ms, --hop-ms, --min-age-ms.
    """

    def __init__(self, model_path, threshold=None, **options):
        self.recognizer = Recognizer(model_path)
        if self.recognizer.task != "classify":
            raise _auris.Error(f"{self.recognizer.path}: a CTC model; use Recognizer.create_stream()")
        stream = self.recognizer.create_stream(threshold=threshold, **options)
        super().__init__(stream._impl, self.recognizer.sample_rate)


__all__ = ["Recognizer", "Result", "Word", "Stream", "KeywordSpotter"]
