#!/usr/bin/env python3
"""The demo page in a real browser: headless Debian chromium with a fake
microphone playing data/samples/digit_string.wav, driven over the DevTools
protocol (python3-websocket). The page must show the file's transcript in
#transcript; a screenshot is kept next to the build (CI artifact).
    browser_test.py --auris BIN --source DIR --out DIR
Exits 77 (skipped) without chromium or python3-websocket."""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import websocket
    import serve_client as sc
except ImportError as e:
    print("SKIPPED: python3-websocket not installed (%s)" % e)
    sys.exit(77)

EXPECTED = "two zero six six seven seven"


def devtools_page(profile, proc):
    """The page target's DevTools WebSocket URL (the port chromium chose)."""
    port_file = os.path.join(profile, "DevToolsActivePort")
    for _ in range(300):
        if os.path.exists(port_file) and open(port_file).read().strip():
            port = open(port_file).read().split()[0]
            with urllib.request.urlopen("http://127.0.0.1:%s/json" % port, timeout=10) as r:
                pages = [t for t in json.load(r) if t["type"] == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
        if proc.poll() is not None:
            raise RuntimeError("chromium exited with %s" % proc.returncode)
        time.sleep(0.1)
    raise RuntimeError("chromium's DevTools did not come up")


class Cdp:
    def __init__(self, url):
        self.ws = websocket.create_connection(url, timeout=30)
        self.next = 0

    def call(self, method, **params):
        self.next += 1
        self.ws.send(json.dumps({"id": self.next, "method": method, "params": params}))
        while True:
            m = json.loads(self.ws.recv())
            if m.get("id") == self.next:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m["result"]

    def text(self, element_id):
        r = self.call("Runtime.evaluate",
                      expression="(document.getElementById(%s) || {}).innerText || ''" % json.dumps(element_id),
                      returnByValue=True)
        return r["result"].get("value", "")


def stop_group(proc):
    """Ends chromium and all its helper processes (its own session): they
    write to the profile until they exit, which raced its removal."""
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    try:
        while time.monotonic() < deadline:
            os.killpg(proc.pid, 0)
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--auris", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    chromium = shutil.which("chromium")
    if not chromium:
        print("SKIPPED: chromium not installed (install-deps.sh --dev)")
        sys.exit(77)
    wav = os.path.join(a.source, "data", "samples", "digit_string.wav")
    with sc.Server(a.auris, [os.path.join(a.source, "data", "models", "digits-ctc.safetensors")]) as srv, \
            tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--user-data-dir=" + profile, "--remote-debugging-port=0",
             "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
             "--use-file-for-fake-audio-capture=" + wav + "%noloop",
             "--autoplay-policy=no-user-gesture-required",
             "http://127.0.0.1:%d/?autostart=1" % srv.port],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            cdp = Cdp(devtools_page(profile, proc))
            transcript = ""
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not transcript.strip():
                time.sleep(0.3)
                transcript = cdp.text("transcript")
            shot = cdp.call("Page.captureScreenshot", format="png")["data"]
            os.makedirs(a.out, exist_ok=True)
            import base64
            with open(os.path.join(a.out, "serve_browser.png"), "wb") as f:
                f.write(base64.b64decode(shot))
            sc.check(transcript.strip() == EXPECTED and "two 0." in cdp.text("words"),
                     "the page shows %r (status %r, partial %r), expected %r" %
                     (transcript, cdp.text("status"), cdp.text("partial"), EXPECTED))
        finally:
            stop_group(proc)
    print("ok: browser shows", EXPECTED)


if __name__ == "__main__":
    main()
