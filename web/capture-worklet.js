// AudioWorklet: hands each block of the first input channel (device rate,
// floats in [-1, 1]) to the page, which converts and sends it.
class Capture extends AudioWorkletProcessor {
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (ch) this.port.postMessage(ch.slice(0));
    return true;
  }
}
registerProcessor("capture", Capture);
