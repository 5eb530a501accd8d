//! Accepting connections: at most so many open at once, idle ones closed,
//! and an accept loop that outlives running out of file descriptors.
//!
//! axum's own `serve` keeps every connection as long as the client likes:
//! with the common limit of 1,024 open files, a thousand idle sockets (a
//! careless client, or a slow-loris attack) stopped the server answering
//! anyone. Here each connection must send its request head within
//! `HEADER_TIMEOUT` (an idle keep-alive connection waits for its next head
//! and is closed the same way), and no more connections are taken than the
//! descriptor limit leaves room for; the others wait in the kernel's queue
//! until one closes.

use std::future::Future;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a connection may take to send a request head, or stay idle
/// between two requests.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Descriptors kept free for what a request opens (the file served, the
/// index's segments, the watcher).
const RESERVED_FILES: u64 = 128;

/// How many connections may be open at once: what the descriptor limit
/// leaves (raised to its hard maximum first), at most 4,096.
pub fn connection_limit() -> usize {
    let files = raise_file_limit();
    files.saturating_sub(RESERVED_FILES).clamp(16, 4096) as usize
}

/// Raises the soft limit of open files to the hard one (as Go and nginx
/// do) and returns it.
fn raise_file_limit() -> u64 {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: `limit` is a valid rlimit to fill and then pass back.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                return 1024;
            }
            if limit.rlim_cur < limit.rlim_max {
                let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    limit = raised;
                }
            }
        }
        limit.rlim_cur as u64
    }
    #[cfg(not(unix))]
    {
        1024
    }
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    max_connections: usize,
    shutdown: impl Future<Output = ()>,
) {
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors (EMFILE) or a connection reset
                    // before it was taken: wait a little and go on.
                    if !matches!(e.kind(), std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset) {
                        eprintln!("warning: cannot accept a connection: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT).keep_alive(true);
        let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    // Live-reload streams never end by themselves: give the rest a moment.
    let _ = tokio::time::timeout(Duration::from_secs(1), graceful.shutdown()).await;
}
