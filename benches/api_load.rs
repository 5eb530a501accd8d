//! A bounded load generator for `wenku serve` on loopback: N keep-alive
//! connections, each a thread sending requests back to back for a fixed
//! time, and, while they run, one reader fetching ordinary pages at a
//! steady pace to see what the load costs everyone else.
//!
//! ```text
//! cargo bench --bench api_load -- ADDR REQUESTS_FILE [CONNECTIONS=64] [SECONDS=10] [PAGES_FILE]
//! ```
//!
//! REQUESTS_FILE holds one request per line: a path (`/api/kwic?q=的`,
//! `/api/kwic/variants?q=…`, `/api/kwic/export?q=…&format=xlsx`, sent as
//! written, non-ASCII percent-encoded) or a bare query for `/api/search`
//! (benches/serve_bench.py writes one drawn from the reports; see
//! benches/research_load.py for the research mix). PAGES_FILE holds page
//! paths (`/`, `/2021/总结/`). Prints requests per second, the latency
//! p50/p99/max of the answered requests, the share of 503s and whether each
//! carried `Retry-After`, other errors, and the pages' latency meanwhile.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, CONTROLS};

/// What is percent-encoded in a path written in the file (non-ASCII always is).
const PATH: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let (Some(addr), Some(file)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo bench --bench api_load -- ADDR REQUESTS_FILE [CONNECTIONS] [SECONDS] [PAGES_FILE]");
        std::process::exit(2);
    };
    let connections: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(64);
    let seconds: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let requests = Arc::new(read_paths(file));
    let pages = args.get(4).map(|file| read_paths(file));

    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|i| {
            let (addr, requests) = (addr.clone(), requests.clone());
            std::thread::spawn(move || run_connection(&addr, &requests, i, until))
        })
        .collect();
    let stop_pages = Arc::new(AtomicBool::new(false));
    let page_reader = pages.map(|pages| {
        let (addr, stop) = (addr.clone(), stop_pages.clone());
        std::thread::spawn(move || read_pages(&addr, &pages, &stop))
    });
    let mut tally = Tally::default();
    for worker in workers {
        tally.add(worker.join().expect("a worker"));
    }
    stop_pages.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    let answered = tally.latencies.len();
    let sent = answered + tally.busy + tally.errors;
    let share = |n: usize| if sent == 0 { 0.0 } else { 100.0 * n as f64 / sent as f64 };
    println!(
        "{connections} connections, {seconds} s: {sent} requests ({:.0}/s); answered {answered}: p50 {}, p99 {}, max {}; \
         503 {} ({:.1}%, {} without Retry-After); other errors {}",
        sent as f64 / elapsed,
        ms(percentile(&mut tally.latencies, 0.50)),
        ms(percentile(&mut tally.latencies, 0.99)),
        ms(percentile(&mut tally.latencies, 1.0)),
        tally.busy,
        share(tally.busy),
        tally.busy_without_retry_after,
        tally.errors,
    );
    if let Some(reader) = page_reader {
        let (mut latencies, errors) = reader.join().expect("the page reader");
        println!(
            "pages meanwhile: {} fetched, p50 {}, p99 {}, max {}, {errors} errors",
            latencies.len(),
            ms(percentile(&mut latencies, 0.50)),
            ms(percentile(&mut latencies, 0.99)),
            ms(percentile(&mut latencies, 1.0)),
        );
    }
}

fn read_paths(file: &str) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("read {file}: {e}"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.strip_prefix('/') {
            Some(_) => percent_encoding::utf8_percent_encode(line, PATH).to_string(),
            None => format!(
                "/api/search?q={}&per_page=10",
                percent_encoding::utf8_percent_encode(line, percent_encoding::NON_ALPHANUMERIC)
            ),
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    busy: usize,
    busy_without_retry_after: usize,
    errors: usize,
}

impl Tally {
    fn add(&mut self, mut other: Tally) {
        self.latencies.append(&mut other.latencies);
        self.busy += other.busy;
        self.busy_without_retry_after += other.busy_without_retry_after;
        self.errors += other.errors;
    }
}

fn percentile(latencies: &mut [Duration], p: f64) -> Option<Duration> {
    latencies.sort_unstable();
    let at = ((latencies.len() as f64 * p) as usize).min(latencies.len().checked_sub(1)?);
    latencies.get(at).copied()
}

fn ms(d: Option<Duration>) -> String {
    d.map_or_else(|| "-".into(), |d| format!("{:.1} ms", d.as_secs_f64() * 1000.0))
}

/// Sends requests on one connection until `until`.
fn run_connection(addr: &str, requests: &[String], offset: usize, until: Instant) -> Tally {
    let mut tally = Tally::default();
    let mut next = offset * 7;
    while Instant::now() < until {
        let Ok(mut connection) = Connection::open(addr) else {
            tally.errors += 1;
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        while Instant::now() < until {
            let path = &requests[next % requests.len()];
            next += 1;
            let sent = Instant::now();
            match connection.get(addr, path) {
                Some((200, _)) => tally.latencies.push(sent.elapsed()),
                Some((503, retry_after)) => {
                    tally.busy += 1;
                    tally.busy_without_retry_after += usize::from(!retry_after);
                }
                Some(_) => tally.errors += 1,
                None => {
                    tally.errors += 1;
                    break;
                }
            }
        }
    }
    tally
}

/// Fetches `pages` one after another, 20 a second, until told to stop.
fn read_pages(addr: &str, pages: &[String], stop: &AtomicBool) -> (Vec<Duration>, usize) {
    let (mut latencies, mut errors) = (Vec::new(), 0);
    let mut connection = Connection::open(addr).ok();
    let mut next = 0;
    while !stop.load(Ordering::Relaxed) {
        let tick = Instant::now();
        let Some(open) = connection.as_mut() else {
            errors += 1;
            connection = Connection::open(addr).ok();
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let path = &pages[next % pages.len()];
        next += 1;
        match open.get(addr, path) {
            Some((200, _)) => latencies.push(tick.elapsed()),
            Some(_) => errors += 1,
            None => {
                errors += 1;
                connection = Connection::open(addr).ok();
            }
        }
        std::thread::sleep(Duration::from_millis(50).saturating_sub(tick.elapsed()));
    }
    (latencies, errors)
}

struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Connection {
    fn open(addr: &str) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        Ok(Connection { reader: BufReader::new(stream.try_clone()?), writer: stream })
    }

    /// Sends a GET and reads the whole answer: its status and whether it
    /// said `Retry-After`.
    fn get(&mut self, addr: &str, path: &str) -> Option<(u16, bool)> {
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        self.writer.write_all(request.as_bytes()).ok()?;
        let reader = &mut self.reader;
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let status = line.split(' ').nth(1)?.parse().ok()?;
        let (mut length, mut chunked, mut retry_after) = (0, false, false);
        loop {
            line.clear();
            reader.read_line(&mut line).ok()?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let name = name.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().ok()?;
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = value.trim().eq_ignore_ascii_case("chunked");
                } else if name.eq_ignore_ascii_case("retry-after") {
                    retry_after = true;
                }
            }
        }
        if chunked {
            loop {
                line.clear();
                reader.read_line(&mut line).ok()?;
                let size = usize::from_str_radix(line.trim().split(';').next()?, 16).ok()?;
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk).ok()?;
                if size == 0 {
                    break;
                }
            }
        } else {
            let mut body = vec![0; length];
            reader.read_exact(&mut body).ok()?;
        }
        Some((status, retry_after))
    }
}
