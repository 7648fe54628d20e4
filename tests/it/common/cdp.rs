//! A small Chrome DevTools Protocol client: headless Chromium driven the way a person uses a
//! page (taps, keystrokes, a phone-sized screen, a slow CPU), for the browser tests and
//! `examples/page_bench.rs`. Synchronous: one websocket to the browser, sessions flattened onto
//! it, and one reader that keeps every event it meets while it waits for a reply. Every wait
//! gives up after [`TIMEOUT`] with a message saying what it waited for, so a test never hangs.
//!
//! Self-contained (std, serde_json, tungstenite) so that an example can include it with
//! `#[path = "../tests/it/common/cdp.rs"] mod cdp;`.
#![allow(dead_code)]

use std::cell::RefCell;
use std::io::ErrorKind;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// The longest any wait lasts before it panics.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The name of the binding the injected script reports CSP violations through.
const REPORT: &str = "__cdpReport";

/// Installed in every document before its own scripts, so that what the page's policy blocks is
/// recorded whether or not the Network domain reports the request (Chromium 148 does; that is
/// not promised) — and an inline script or style the policy refuses, which is no request.
const REPORT_VIOLATIONS: &str = "document.addEventListener('securitypolicyviolation', function (e) {\
    __cdpReport(JSON.stringify({uri: e.blockedURI, directive: e.violatedDirective}));\
}, true);";

/// A headless Chromium with its own profile, closed (and the profile removed) on drop.
pub struct Browser {
    conn: RefCell<Conn>,
    // Dropped after `conn`, once Browser.close has had its chance.
    process: Process,
}

/// The Chromium process and its profile: killed (its whole process group, which is its own) and
/// removed when dropped, also when starting it fails half-way.
struct Process {
    child: Child,
    profile: PathBuf,
}

/// One page of the browser, laid out at the size it was opened with.
pub struct Tab<'b> {
    browser: &'b Browser,
    target: String,
    session: String,
    url: String,
}

struct Conn {
    ws: WebSocket<TcpStream>,
    next_id: u64,
    /// Every event read so far, in order (with its `sessionId` when it is a page's).
    events: Vec<Value>,
}

impl Browser {
    /// Start Chromium (chromium, chromium-browser or google-chrome on PATH) headless with a
    /// temporary profile and connect to it; `None` when none is installed. Panics when one is
    /// there but does not come up within [`TIMEOUT`].
    pub fn launch() -> Option<Browser> {
        let binary = find_browser()?;
        let profile =
            std::env::temp_dir().join(format!("kb-cdp-{}-{}", std::process::id(), unique()));
        std::fs::create_dir_all(&profile).unwrap();
        let mut cmd = Command::new(&binary);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--mute-audio",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        // Its own process group, so that whatever it started can be ended with it.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = match cmd.spawn() {
            Ok(child) => child,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&profile);
                panic!("could not start {}: {e}", binary.display());
            }
        };
        let mut process = Process { child, profile };

        // Chromium writes the port it chose and the browser's websocket path here.
        let port_file = process.profile.join("DevToolsActivePort");
        let deadline = Instant::now() + TIMEOUT;
        let (port, path) = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break (port.trim().to_string(), path.trim().to_string());
                }
            }
            if let Ok(Some(status)) = process.child.try_wait() {
                panic!(
                    "{} exited ({status}) before it opened its DevTools port",
                    binary.display()
                );
            }
            if Instant::now() > deadline {
                panic!(
                    "{} wrote no {} within {TIMEOUT:?}",
                    binary.display(),
                    port_file.display()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stream = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap_or_else(|e| {
            panic!("could not connect to Chromium's DevTools port {port}: {e}")
        });
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let (ws, _) = tungstenite::client(format!("ws://127.0.0.1:{port}{path}"), stream)
            .unwrap_or_else(|e| panic!("the DevTools websocket handshake failed: {e}"));
        // Short reads from here on: the reader checks its deadline between them.
        ws.get_ref()
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        Some(Browser {
            conn: RefCell::new(Conn {
                ws,
                next_id: 1,
                events: Vec::new(),
            }),
            process,
        })
    }

    /// A new page at `width`×`height` CSS pixels, as a phone shows it (mobile viewport, device
    /// scale factor 2), with `url` loaded (waits for its load event).
    pub fn open(&self, url: &str, width: u32, height: u32) -> Tab<'_> {
        let target =
            self.call(None, "Target.createTarget", json!({"url": "about:blank"}))["targetId"]
                .as_str()
                .expect("Target.createTarget gave no targetId")
                .to_string();
        let session = self.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        )["sessionId"]
            .as_str()
            .expect("Target.attachToTarget gave no sessionId")
            .to_string();
        let mut tab = Tab {
            browser: self,
            target,
            session,
            url: String::new(),
        };
        for domain in ["Page", "Runtime", "Network", "Log"] {
            tab.call(&format!("{domain}.enable"), json!({}));
        }
        tab.call("Runtime.addBinding", json!({"name": REPORT}));
        tab.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": REPORT_VIOLATIONS}),
        );
        tab.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 2, "mobile": true}),
        );
        tab.goto(url);
        tab
    }

    /// Send `method` (to a page's session, or to the browser) and wait for its result; panics
    /// with the browser's error message if it fails.
    fn call(&self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.try_call(session, method, params)
            .unwrap_or_else(|e| panic!("{method} failed: {e}"))
    }

    fn try_call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        let id = self.send(session, method, params);
        self.reply(id, method)
    }

    /// Send `method` without waiting; its reply is read with [`Browser::reply`].
    fn send(&self, session: Option<&str>, method: &str, params: Value) -> u64 {
        self.try_send(session, method, params)
            .unwrap_or_else(|e| panic!("could not send {method} to Chromium: {e}"))
    }

    fn try_send(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<u64, tungstenite::Error> {
        let mut conn = self.conn.borrow_mut();
        let id = conn.next_id;
        conn.next_id += 1;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        conn.ws.send(Message::text(message.to_string()))?;
        Ok(id)
    }

    /// The reply to request `id`, keeping the events read meanwhile.
    fn reply(&self, id: u64, method: &str) -> Result<Value, String> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.read_one(deadline) {
                Some(message) if message["id"].as_u64() == Some(id) => {
                    return match message.get("error") {
                        Some(error) => Err(error.to_string()),
                        None => Ok(message["result"].clone()),
                    };
                }
                Some(message) if message.get("method").is_some() => {
                    self.conn.borrow_mut().events.push(message)
                }
                Some(_) => {}
                None => panic!("Chromium did not answer {method} within {TIMEOUT:?}"),
            }
        }
    }

    /// The next message, or `None` once `deadline` has passed.
    fn read_one(&self, deadline: Instant) -> Option<Value> {
        let mut conn = self.conn.borrow_mut();
        while Instant::now() < deadline {
            match conn.ws.read() {
                Ok(Message::Text(text)) => {
                    return Some(serde_json::from_str(text.as_str()).unwrap_or_else(|e| {
                        panic!("Chromium sent a message that is not JSON ({e}): {text}")
                    }));
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) => panic!("the DevTools connection to Chromium broke: {e}"),
            }
        }
        None
    }

    /// Read whatever arrives until `quiet` passes with nothing new (or [`TIMEOUT`]).
    fn drain(&self, quiet: Duration) {
        let end = Instant::now() + TIMEOUT;
        loop {
            let until = (Instant::now() + quiet).min(end);
            match self.read_one(until) {
                Some(message) if message.get("method").is_some() => {
                    self.conn.borrow_mut().events.push(message)
                }
                Some(_) => {}
                None => return,
            }
        }
    }

    /// Wait until an event matching `want` is among those read at index `since` or later;
    /// returns it. `what` names it for the panic message.
    fn wait_event(&self, since: usize, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = since;
        loop {
            {
                let conn = self.conn.borrow();
                if let Some(e) = conn.events[seen..].iter().find(|e| want(e)) {
                    return e.clone();
                }
                seen = conn.events.len();
            }
            match self.read_one(deadline) {
                Some(message) if message.get("method").is_some() => {
                    self.conn.borrow_mut().events.push(message)
                }
                Some(_) => {}
                None => panic!("waited {TIMEOUT:?} for {what}"),
            }
        }
    }

    fn event_count(&self) -> usize {
        self.conn.borrow().events.len()
    }

    /// The events of `session` so far, with method `method`.
    fn events(&self, session: &str, method: &str) -> Vec<Value> {
        self.conn
            .borrow()
            .events
            .iter()
            .filter(|e| e["sessionId"].as_str() == Some(session) && e["method"] == method)
            .map(|e| e["params"].clone())
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask it to close; `Process` makes sure after that.
        if self.try_send(None, "Browser.close", json!({})).is_ok() {
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.process.child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // What it started (renderers, zygote, crashpad) is in its process group, by its id.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        for _ in 0..10 {
            if std::fs::remove_dir_all(&self.profile).is_ok() || !self.profile.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Tab<'_> {
    /// Any other DevTools command, sent to this page; its result (panics if it fails).
    pub fn call(&self, method: &str, params: Value) -> Value {
        self.browser.call(Some(&self.session), method, params)
    }

    /// Load `url` in this tab and wait for its load event.
    pub fn goto(&mut self, url: &str) {
        let since = self.browser.event_count();
        let result = self.call("Page.navigate", json!({"url": url}));
        if let Some(error) = result["errorText"].as_str() {
            panic!("could not open {url}: {error}");
        }
        let session = self.session.clone();
        self.browser
            .wait_event(since, &format!("the load event of {url}"), |e| {
                e["sessionId"].as_str() == Some(&session) && e["method"] == "Page.loadEventFired"
            });
        self.url = url.to_string();
    }

    /// The value of the expression `js` (a promise is awaited); panics with the exception's text
    /// if it throws. `undefined` is `Null`.
    pub fn eval(&self, js: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": js, "returnByValue": true, "awaitPromise": true, "userGesture": true}),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            let text = exception["exception"]["description"]
                .as_str()
                .or(exception["text"].as_str())
                .unwrap_or("(no text)");
            panic!("the script threw: {text}\nscript: {js}");
        }
        result["result"]["value"].clone()
    }

    /// Wait until the expression `js_condition` is truthy (polled every 20 ms, [`TIMEOUT`] at
    /// most).
    pub fn wait_for(&self, js_condition: &str) {
        let deadline = Instant::now() + TIMEOUT;
        let check = format!("!!({js_condition})");
        while self.eval(&check) != json!(true) {
            assert!(
                Instant::now() < deadline,
                "waited {TIMEOUT:?} for `{js_condition}`"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A pointer click, as a finger or mouse makes it: the element is scrolled into view and
    /// pressed and released in the middle of its first box that is not covered (a link over
    /// two lines has its middle between them). Panics if the element is not shown or something
    /// else covers it.
    pub fn tap(&self, css_selector: &str) {
        let selector = json!(css_selector);
        let at = self.eval(&format!(
            "(function () {{ var el = document.querySelector({selector}); if (!el) return null;\
             el.scrollIntoView({{block: 'center', inline: 'center'}});\
             var boxes = Array.from(el.getClientRects()).filter(function (r) {{\
               return r.width > 0 && r.height > 0; }});\
             if (!boxes.length) return {{hidden: true}};\
             var covered = [];\
             for (var i = 0; i < boxes.length; i++) {{\
               var r = boxes[i], x = r.left + r.width / 2, y = r.top + r.height / 2;\
               var hit = document.elementFromPoint(x, y);\
               if (hit && (hit === el || el.contains(hit))) return {{x: x, y: y}};\
               covered.push(hit ? hit.outerHTML.slice(0, 80) : 'nothing (off the screen)');\
             }}\
             return {{covered: covered}}; }})()"
        ));
        assert!(!at.is_null(), "nothing on the page matches {css_selector}");
        assert!(at["hidden"].is_null(), "{css_selector} is not shown");
        assert!(
            at["covered"].is_null(),
            "{css_selector} cannot be tapped: at its middle is {}",
            at["covered"]
        );
        let (x, y) = (at["x"].clone(), at["y"].clone());
        self.call(
            "Input.dispatchMouseEvent",
            json!({"type": "mouseMoved", "x": x, "y": y}),
        );
        for (kind, buttons) in [("mousePressed", 1), ("mouseReleased", 0)] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1}),
            );
        }
    }

    /// Type `text` into the focused element one character at a time (each one is its own
    /// `input` event, as from a keyboard; a Hangul syllable is one keystroke, as an IME commits
    /// it).
    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.key(c);
        }
    }

    /// One keystroke: `c` inserted into the focused element.
    pub fn key(&self, c: char) {
        self.call("Input.insertText", json!({"text": c.to_string()}));
    }

    /// Slow the page's CPU down `rate` times (1 is full speed), as a phone's would be.
    pub fn throttle_cpu(&self, rate: f64) {
        self.call("Emulation.setCPUThrottlingRate", json!({"rate": rate}));
    }

    /// Emulate `prefers-color-scheme: dark` (or light).
    pub fn dark(&self, on: bool) {
        let scheme = if on { "dark" } else { "light" };
        self.call(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        );
    }

    /// What the screen shows, as a PNG written to `path`.
    pub fn screenshot(&self, path: &Path) {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let data = shot["data"]
            .as_str()
            .expect("Page.captureScreenshot gave no data");
        std::fs::write(path, base64_decode(data))
            .unwrap_or_else(|e| panic!("could not write {}: {e}", path.display()));
    }

    /// Let the page download files into `dir` (under the names the page suggests).
    pub fn allow_downloads(&self, dir: &Path) {
        self.browser.call(
            None,
            "Browser.setDownloadBehavior",
            json!({"behavior": "allow", "downloadPath": dir, "eventsEnabled": true}),
        );
    }

    /// Do `action` and wait for the download it starts to complete; returns the file.
    pub fn download(&self, dir: &Path, action: impl FnOnce(&Self)) -> PathBuf {
        let since = self.browser.event_count();
        action(self);
        let begin = self.browser.wait_event(since, "a download to begin", |e| {
            e["method"] == "Browser.downloadWillBegin"
        });
        let guid = begin["params"]["guid"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let name = begin["params"]["suggestedFilename"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let done =
            self.browser
                .wait_event(since, &format!("the download of {name} to finish"), |e| {
                    e["method"] == "Browser.downloadProgress"
                        && e["params"]["guid"] == guid.as_str()
                        && e["params"]["state"] != "inProgress"
                });
        assert_eq!(
            done["params"]["state"], "completed",
            "the download of {name} did not complete"
        );
        dir.join(name)
    }

    /// Every URL the page tried to load besides its own file (and `data:` URLs, which are part
    /// of it): what reached the network, and what its content security policy blocked (as
    /// `<url> (blocked by CSP <directive>)`; an inline script it refused is `inline`).
    pub fn requests(&self) -> Vec<String> {
        self.settle();
        let own = self.url.split('#').next().unwrap_or_default().to_string();
        let mut out: Vec<String> = Vec::new();
        for e in self
            .browser
            .events(&self.session, "Network.requestWillBeSent")
        {
            let url = e["request"]["url"].as_str().unwrap_or_default();
            let bare = url.split('#').next().unwrap_or_default();
            if bare != own && bare != "about:blank" && !url.starts_with("data:") {
                out.push(url.to_string());
            }
        }
        for e in self.browser.events(&self.session, "Runtime.bindingCalled") {
            if e["name"] != REPORT {
                continue;
            }
            let report: Value =
                serde_json::from_str(e["payload"].as_str().unwrap_or("{}")).unwrap_or_default();
            let uri = report["uri"].as_str().unwrap_or_default();
            if uri.starts_with("data:") {
                continue;
            }
            out.push(format!(
                "{uri} (blocked by CSP {})",
                report["directive"].as_str().unwrap_or_default()
            ));
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|u| seen.insert(u.clone()));
        out
    }

    /// The uncaught exceptions and the errors logged (console.error, and the browser's own
    /// error messages about the page) so far.
    pub fn console_errors(&self) -> Vec<String> {
        self.settle();
        let mut out = Vec::new();
        for e in self
            .browser
            .events(&self.session, "Runtime.exceptionThrown")
        {
            let d = &e["exceptionDetails"];
            out.push(
                d["exception"]["description"]
                    .as_str()
                    .or(d["text"].as_str())
                    .unwrap_or("(an exception)")
                    .to_string(),
            );
        }
        for e in self
            .browser
            .events(&self.session, "Runtime.consoleAPICalled")
        {
            if e["type"] != "error" && e["type"] != "assert" {
                continue;
            }
            let args: Vec<String> = e["args"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| match a["value"].as_str() {
                    Some(s) => s.to_string(),
                    None => a["description"]
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| a["value"].to_string()),
                })
                .collect();
            out.push(format!(
                "console.{}: {}",
                e["type"].as_str().unwrap_or(""),
                args.join(" ")
            ));
        }
        for e in self.browser.events(&self.session, "Log.entryAdded") {
            let entry = &e["entry"];
            if entry["level"] == "error" {
                out.push(format!(
                    "{}: {}",
                    entry["source"].as_str().unwrap_or("log"),
                    entry["text"].as_str().unwrap_or_default()
                ));
            }
        }
        out
    }

    /// Let the events the page has caused so far arrive: one round trip through the page, then
    /// whatever comes within 200 ms.
    fn settle(&self) {
        self.eval("0");
        self.browser.drain(Duration::from_millis(200));
    }
}

impl Drop for Tab<'_> {
    fn drop(&mut self) {
        // Not while a test is failing: a second panic here would abort the whole run.
        if std::thread::panicking() {
            return;
        }
        let _ = self
            .browser
            .try_call(None, "Target.closeTarget", json!({"targetId": self.target}));
    }
}

/// The first of chromium, chromium-browser, google-chrome found on PATH.
fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(candidate)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// A number no other browser of this process has had.
fn unique() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    now.wrapping_mul(31) + NEXT.fetch_add(1, Ordering::Relaxed) as u128
}

/// Standard base64 (what Page.captureScreenshot sends), decoded.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
