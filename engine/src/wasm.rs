//! The engine as WebAssembly: a handful of exported functions over linear
//! memory, no bindings generator. The page's script (`search.js`) copies
//! bytes in with `alloc`, calls `open` (with `manifest.json`), `add_file` and `search`, and reads
//! the JSON answer at `output()` (`output_len()` bytes). Everything else is
//! `static_index::answer`, which the native tests run too.

use std::cell::RefCell;

use crate::static_index::{StaticIndex, answer};

thread_local! {
    static INDEX: RefCell<Option<StaticIndex>> = const { RefCell::new(None) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Room for `len` bytes the caller fills and then hands to another call,
/// which takes ownership of them.
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    ptr
}

/// The bytes `alloc` handed out, filled by the caller.
fn take(ptr: *mut u8, len: usize) -> Vec<u8> {
    // SAFETY: `ptr` came from `alloc` with at least `len` bytes of capacity,
    // the caller wrote `len` bytes there, and hands it over exactly once.
    unsafe { Vec::from_raw_parts(ptr, len, len.max(1)) }
}

fn set_output(text: String) -> usize {
    OUTPUT.with(|out| {
        let mut out = out.borrow_mut();
        *out = text.into_bytes();
        out.len()
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn output() -> *const u8 {
    OUTPUT.with(|out| out.borrow().as_ptr())
}

/// Opens the index from `manifest.json`; the output is empty on success,
/// else why not.
#[unsafe(no_mangle)]
pub extern "C" fn open(manifest: *mut u8, manifest_len: usize) -> usize {
    match StaticIndex::open(&take(manifest, manifest_len)) {
        Ok(index) => {
            INDEX.with(|slot| *slot.borrow_mut() = Some(index));
            set_output(String::new())
        }
        Err(why) => set_output(why),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn add_file(path: *mut u8, path_len: usize, bytes: *mut u8, bytes_len: usize) {
    let path = String::from_utf8(take(path, path_len)).unwrap_or_default();
    let bytes = take(bytes, bytes_len);
    INDEX.with(|slot| {
        if let Some(index) = slot.borrow_mut().as_mut() {
            index.add_file(&path, bytes);
        }
    });
}

/// Answers the URL parameters (JSON pairs); the output is the JSON answer.
#[unsafe(no_mangle)]
pub extern "C" fn search(params: *mut u8, params_len: usize) -> usize {
    let params = take(params, params_len);
    let text = INDEX.with(|slot| match slot.borrow().as_ref() {
        Some(index) => answer(index, &params),
        None => r#"{"ok":false,"body":{"error":"the search index is not open","help":"reload the page"}}"#.to_owned(),
    });
    set_output(text)
}
