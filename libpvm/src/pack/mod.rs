//! PVM message buffers: packing and unpacking every PVM type, and the buffer table.
//!
//! - [`Encoding`]: `PvmDataDefault` (XDR), `PvmDataRaw` (native) and `PvmDataInPlace`.
//! - [`Buffer`]: one message. PVM-shaped calls with count and stride ([`Buffer::pk`],
//!   [`Buffer::upk`], [`Buffer::pkstr`], [`Buffer::upkstr`]) for the C ABI, and a typed
//!   surface for Rust ([`Buffer::pack`], [`Buffer::unpack`], [`Buffer::unpack_vec`],
//!   [`Buffer::pack_slice`], [`Buffer::unpack_into`]) through the [`Pack`] and
//!   [`Unpack`] traits.
//! - [`Scalar`]: the item types (byte, short, int, long, float, double, cplx, dcplx,
//!   signed and unsigned) and their layouts in each encoding.
//! - [`BufferTable`]: buffer ids and the active send/receive buffers, with the rules of
//!   `pvm_mkbuf`, `pvm_freebuf`, `pvm_initsend`, `pvm_setsbuf`, `pvm_setrbuf`,
//!   `pvm_getsbuf`, `pvm_getrbuf` and `pvm_bufinfo`.
//!
//! # Wire layout of `PvmDataDefault`
//!
//! As PVM 3.4 writes it, in XDR's big-endian 4-byte units:
//!
//! | PVM type | on the wire |
//! |---|---|
//! | byte | the bytes, the run zero-padded to a multiple of 4 (per call: two one-byte packs take 8 bytes) |
//! | short | a sign-extended 4-byte word, for unsigned too; unpacking keeps the low 16 bits |
//! | int | 4 bytes |
//! | long | 4 bytes (C long is 64 bits on LINUX64, see below) |
//! | float, double | IEEE 754, 4 and 8 bytes |
//! | cplx, dcplx | real part, then imaginary part |
//! | string | its length including the NUL as an int, then the bytes and the NUL, padded |
//!
//! A long outside 32 bits is [`PvmError::Overflow`](crate::error::PvmError::Overflow),
//! as PVM's XDR code intends; Debian's 64-bit PVM 3.4.6 build instead truncates silently,
//! and unpacks a signed long zero-extended where this library sign-extends.
//!
//! No count or type goes on the wire, so unpacking the wrong type reinterprets bytes, as
//! in PVM; what cannot be read gives [`PvmError::NoData`](crate::error::PvmError::NoData)
//! or [`PvmError::BadMsg`](crate::error::PvmError::BadMsg), never a panic.
//!
//! ```
//! use pvm::pack::{Buffer, Encoding};
//! # fn main() -> Result<(), pvm::error::PvmError> {
//! let mut send = Buffer::new(Encoding::Default);
//! send.pack(&3i32)?.pack(&[1.0f64, 2.0, 3.0])?.pack("done")?;
//! let body = send.body(); // shared, not copied: this is what goes on the wire
//!
//! let mut recv = Buffer::received(Encoding::Default, body);
//! let n: i32 = recv.unpack()?;
//! let v: Vec<f64> = recv.unpack_vec(n as usize)?;
//! assert_eq!(v, [1.0, 2.0, 3.0]);
//! assert_eq!(recv.unpack::<String>()?, "done");
//! # Ok(()) }
//! ```

mod buffer;
mod encoding;
mod scalar;
mod stride;
mod table;
mod typed;

pub use buffer::Buffer;
pub use encoding::Encoding;
pub use scalar::{Complex32, Complex64, Scalar};
pub use stride::Strided;
pub use table::{BufInfo, BufferTable};
pub use typed::{Pack, Unpack};
