//! `WENKU_STATIC_TIMES=1`: how long each step of writing a segment took,
//! with the CPU time and memory so far, for benchmarks (Linux; elsewhere
//! the numbers read as zero).

pub struct Profile {
    started: std::time::Instant,
    on: bool,
}

impl Profile {
    pub fn start() -> Profile {
        Profile { started: std::time::Instant::now(), on: std::env::var_os("WENKU_STATIC_TIMES").is_some() }
    }

    pub fn lap(&self, step: &str) {
        if !self.on {
            return;
        }
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| status.lines().find(|l| l.starts_with(name)).map_or("", |l| l[name.len()..].trim());
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let after_name = stat.rsplit(')').next().unwrap_or("");
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // utime and stime, in clock ticks (USER_HZ: 100 on Linux).
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0) / 100.0;
        eprintln!(
            "static {step}: {:.2?} (cpu user {:.1} s, sys {:.1} s; rss {}, peak {})",
            self.started.elapsed(),
            ticks(11),
            ticks(12),
            field("VmRSS:"),
            field("VmHWM:")
        );
    }
}
