//! The writer lock's answer, which may come before or after the shell exists: the lock is asked
//! for first, so that the browser grants it during the settings round trip (SPEC §7).

use js_sys::Function;
use std::cell::RefCell;

/// Granted: the lock's release function; refused: why.
pub(super) type LockAnswer = Result<Function, String>;

/// Who is told the answer once it has a listener.
type Receiver = Box<dyn Fn(LockAnswer)>;

/// Holds the browser's answer until someone listens, then hands answers straight on.
#[derive(Default)]
pub(super) struct LockGate {
    receiver: RefCell<Option<Receiver>>,
    early: RefCell<Option<LockAnswer>>,
}

impl LockGate {
    /// The browser answered.
    pub(super) fn answer(&self, answer: LockAnswer) {
        match self.receiver.try_borrow() {
            Ok(receiver) if receiver.is_some() => {
                if let Some(receive) = receiver.as_ref() {
                    receive(answer);
                }
            }
            _ => {
                if let Ok(mut slot) = self.early.try_borrow_mut() {
                    *slot = Some(answer);
                }
            }
        }
    }

    /// From now on answers go to `receiver`; returns one that came before, if any.
    pub(super) fn listen(&self, receiver: Receiver) -> Option<LockAnswer> {
        if let Ok(mut slot) = self.receiver.try_borrow_mut() {
            *slot = Some(receiver);
        }
        self.early.try_borrow_mut().ok().and_then(|mut e| e.take())
    }
}
