// The auris serve demo: microphone (getUserMedia) -> AudioWorklet -> 16-bit
// PCM at the device's rate over ws://HOST/asr -> partials, finals with word
// times, keyword events. No framework, nothing from the internet.
"use strict";
const $ = (id) => document.getElementById(id);
let ws = null, ctx = null, stream = null;

async function loadModels() {
  const r = await fetch("/models");
  for (const m of (await r.json()).models) {
    const o = document.createElement("option");
    o.value = m.name;
    o.textContent = m.name + " (" + m.task + ")";
    $("model").appendChild(o);
  }
}

function show(e) {
  if (e.type === "partial") {
    $("partial").textContent = e.text;
  } else if (e.type === "final") {
    $("partial").textContent = "";
    // #transcript holds the finals' text alone; their word times go to #words.
    const d = document.createElement("div");
    d.textContent = e.text;
    $("transcript").appendChild(d);
    const t = document.createElement("div");
    t.className = "times";
    t.textContent = e.words.map((w) => w.word + " " + w.start.toFixed(2) + "-" + w.end.toFixed(2)).join(", ");
    $("words").appendChild(t);
  } else if (e.type === "keyword") {
    const d = document.createElement("div");
    d.textContent = e.label + " " + e.score.toFixed(2) + " at " + e.start.toFixed(2) + " s";
    $("events").appendChild(d);
  } else if (e.type === "error" || e.type === "status") {
    $("status").textContent = e.text;
  }
}

function toPcm16(x) {
  const out = new Int16Array(x.length);
  let energy = 0;
  for (let i = 0; i < x.length; i++) {
    const s = Math.max(-1, Math.min(1, x[i]));
    out[i] = s < 0 ? s * 32768 : s * 32767;
    energy += s * s;
  }
  const db = 10 * Math.log10(energy / Math.max(1, x.length) + 1e-10);
  $("level").style.width = Math.max(0, Math.min(100, (db + 60) * 100 / 60)) + "%";
  return out.buffer;
}

async function start() {
  $("start").disabled = true;
  stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false } });
  ctx = new AudioContext();
  await ctx.resume();  // kiosks and tests start without a click (autostart)
  await ctx.audioWorklet.addModule("capture-worklet.js");
  const src = ctx.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(ctx, "capture");
  const model = $("model").value;
  ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/asr" +
                     (model ? "?model=" + encodeURIComponent(model) : ""));
  ws.binaryType = "arraybuffer";
  ws.onopen = () => {
    ws.send(JSON.stringify({ sample_rate: ctx.sampleRate, format: "s16le", channels: 1 }));
    node.port.onmessage = (m) => { if (ws.readyState === WebSocket.OPEN) ws.send(toPcm16(m.data)); };
    src.connect(node);
  };
  ws.onmessage = (m) => show(JSON.parse(m.data));
  ws.onclose = () => { $("status").textContent += " (closed)"; stopAudio(); };
  $("stop").disabled = false;
}

function stopAudio() {
  if (stream) stream.getTracks().forEach((t) => t.stop());
  if (ctx) ctx.close();
  stream = ctx = null;
  $("start").disabled = false;
  $("stop").disabled = true;
}

function stop() {
  // eof: the server sends the last final, then closes.
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ eof: true }));
  stopAudio();
}

$("start").onclick = start;
$("stop").onclick = stop;
loadModels().then(() => {
  if (new URLSearchParams(location.search).get("autostart") === "1") start();
});
