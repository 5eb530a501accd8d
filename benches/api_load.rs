//! A bounded load generator for `/api/search` on loopback: N keep-alive
//! connections, each a thread sending queries back to back for a fixed time.
//!
//! ```text
//! cargo bench --bench api_load -- 127.0.0.1:8000 QUERIES_FILE [CONNECTIONS=64] [SECONDS=10]
//! ```
//!
//! QUERIES_FILE holds one query per line (benches/serve_bench.py writes one
//! drawn from the reports). Prints requests per second, latency p50/p99/max
//! and the count of errors (any status but 200, or a broken connection).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let (Some(addr), Some(file)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo bench --bench api_load -- ADDR QUERIES_FILE [CONNECTIONS] [SECONDS]");
        std::process::exit(2);
    };
    let connections: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(64);
    let seconds: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let queries: Arc<Vec<String>> = Arc::new(
        std::fs::read_to_string(file)
            .expect("read the queries")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|q| percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC).to_string())
            .collect(),
    );
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|i| {
            let (addr, queries) = (addr.clone(), queries.clone());
            std::thread::spawn(move || run_connection(&addr, &queries, i, until))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (mut l, e) = worker.join().expect("a worker");
        latencies.append(&mut l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let at = |p: f64| latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)));
    let ms = |d: Option<&Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0);
    println!(
        "/api/search, {connections} connections, {seconds} s: {} requests, {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {errors} errors",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        ms(at(0.50)),
        ms(at(0.99)),
        ms(latencies.last()),
    );
}

/// Sends queries on one connection until `until`; returns the latencies of
/// the successful requests and the number of errors.
fn run_connection(addr: &str, queries: &[String], offset: usize, until: Instant) -> (Vec<Duration>, usize) {
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut next = offset * 7;
    while Instant::now() < until {
        let Ok(stream) = TcpStream::connect(addr) else {
            errors += 1;
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
        let mut writer = stream;
        while Instant::now() < until {
            let query = &queries[next % queries.len()];
            next += 1;
            let sent = Instant::now();
            let request = format!("GET /api/search?q={query}&per_page=10 HTTP/1.1\r\nHost: {addr}\r\n\r\n");
            if writer.write_all(request.as_bytes()).is_err() {
                errors += 1;
                break;
            }
            match read_response(&mut reader) {
                Some(200) => latencies.push(sent.elapsed()),
                Some(_) => errors += 1,
                None => {
                    errors += 1;
                    break;
                }
            }
        }
    }
    (latencies, errors)
}

/// Reads one response with a Content-Length body; returns its status.
fn read_response(reader: &mut BufReader<TcpStream>) -> Option<u16> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let status = line.split(' ').nth(1)?.parse().ok()?;
    let mut length = 0;
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(status)
}
