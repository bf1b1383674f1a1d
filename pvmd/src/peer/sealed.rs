//! The two halves of a link's TCP stream, sealed ([`pvm::proto::seal`]): what the
//! writer is given goes out as sealed frames, and the reader hands on only what opened.
//!
//! They sit under the frame reader and writer every connection uses
//! ([`crate::connection::read_frames`], [`crate::connection::write_frames`]) as one
//! more [`FrameSource`] and [`FrameSink`], so queueing, flushing and large-frame
//! handling are the same as on any other stream; only the bytes on the wire differ.

use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::BytesMut;
use pvm::proto::seal::{Inbound, SealError, Sealer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::net::UnixStream;

use crate::connection::{FrameSink, FrameSource};
use pvm::shm::FdQueue;

/// How much one read of sealed bytes asks for.
const READ: usize = 256 * 1024;

/// The reading half: opens sealed frames and gives out their bytes.
pub struct SealedReader<R> {
    inner: R,
    inbound: Inbound,
    /// Why the link was refused, once it was.
    failure: Option<SealError>,
}

impl<R> SealedReader<R> {
    pub fn new(inner: R, inbound: Inbound) -> SealedReader<R> {
        SealedReader {
            inner,
            inbound,
            failure: None,
        }
    }

    /// Why reading stopped, if sealed input was refused (altered, replayed, cut...).
    pub fn failure(&self) -> Option<&SealError> {
        self.failure.as_ref()
    }

    fn refuse(&mut self, e: SealError) -> io::Error {
        self.failure = Some(e.clone());
        io::Error::new(io::ErrorKind::InvalidData, e)
    }
}

impl<R: AsyncRead + Unpin + Send> FrameSource for SealedReader<R> {
    async fn read_some(&mut self, buf: &mut BytesMut, max: usize) -> io::Result<usize> {
        loop {
            let n = self.inbound.take(buf, max);
            if n > 0 {
                return Ok(n);
            }
            match self.inbound.open_next() {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => return Err(self.refuse(e)),
            }
            // Cancel-safe: nothing changes until the read has completed.
            let got = self.inner.read_buf(self.inbound.raw_mut(READ)).await?;
            if got == 0 {
                return match self.inbound.end() {
                    Ok(()) => Ok(0),
                    Err(e) => Err(self.refuse(e)),
                };
            }
        }
    }

    fn fds(&mut self) -> Option<&mut FdQueue> {
        None
    }
}

/// The writing half: every write becomes one sealed frame (of at most
/// [`pvm::proto::seal::MAX_PLAIN`] bytes), written before the next is accepted.
pub struct SealedWriter<W> {
    inner: W,
    sealer: Sealer,
    /// Sealed bytes not written yet, from `at`.
    out: BytesMut,
    at: usize,
}

impl<W> SealedWriter<W> {
    pub fn new(inner: W, sealer: Sealer) -> SealedWriter<W> {
        SealedWriter {
            inner,
            sealer,
            out: BytesMut::new(),
            at: 0,
        }
    }
}

impl<W: AsyncWrite + Unpin> SealedWriter<W> {
    /// Writes out what was sealed.
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.at < self.out.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.out[self.at..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.at += n;
        }
        self.out.clear();
        self.at = 0;
        Poll::Ready(Ok(()))
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for SealedWriter<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_vectored(cx, &[IoSlice::new(buf)])
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        let n = this
            .sealer
            .seal(bufs, &mut this.out)
            .map_err(io::Error::other)?;
        // Start writing at once; what the socket does not take now goes on the next
        // call or at the flush.
        if let Poll::Ready(Err(e)) = this.poll_drain(cx) {
            return Poll::Ready(Err(e));
        }
        Poll::Ready(Ok(n))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

impl<W: AsyncWrite + Unpin> FrameSink for SealedWriter<W> {
    fn unix(&self) -> Option<&UnixStream> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::{read_frames, ReadEnd};
    use bytes::Bytes;
    use pvm::proto::seal::{LinkKeys, Role};
    use pvm::proto::{Frame, Message};
    use pvm::Tid;
    use tokio::io::AsyncWriteExt;
    use tokio::sync::mpsc;

    fn keys() -> (LinkKeys, LinkKeys) {
        let (a, b) = ([5u8; 32], [6u8; 32]);
        (
            LinkKeys::derive(b"secret", &a, &b, Role::Initiator),
            LinkKeys::derive(b"secret", &a, &b, Role::Responder),
        )
    }

    fn data(tag: i32, len: usize) -> Frame {
        Frame::Data(Message {
            src: Tid(0x40001),
            dst: Tid(0x80001),
            tag,
            body: Bytes::from(
                (0..len)
                    .map(|i| (i * 7) as u8 ^ tag as u8)
                    .collect::<Vec<_>>(),
            ),
            ..Message::default()
        })
    }

    /// Frames written through the sealed writer, as bytes on the wire.
    async fn wire(frames: Vec<Frame>) -> Vec<u8> {
        let (sealer, _) = keys().0.split();
        let (ours, mut theirs) = tokio::io::duplex(1 << 16);
        let (tx, rx) = mpsc::unbounded_channel();
        let writer = tokio::spawn(crate::connection::write_frames(
            "test",
            SealedWriter::new(ours, sealer),
            rx,
        ));
        for f in frames {
            tx.send(f.into()).expect("queue");
        }
        drop(tx);
        let mut out = Vec::new();
        theirs.read_to_end(&mut out).await.expect("read");
        writer.await.expect("writer");
        out
    }

    /// What the reading side makes of `bytes`.
    async fn read(bytes: Vec<u8>) -> (Vec<Frame>, ReadEnd, Option<SealError>) {
        let (_, opener) = keys().1.split();
        let (mut ours, theirs) = tokio::io::duplex(1 << 16);
        tokio::spawn(async move {
            let _ = ours.write_all(&bytes).await;
        });
        let mut rd = SealedReader::new(theirs, Inbound::new(opener, BytesMut::new()));
        let mut got = Vec::new();
        let end = read_frames(&mut rd, None, |f, _| {
            got.push(f);
            true
        })
        .await;
        let failure = rd.failure().cloned();
        (got, end, failure)
    }

    #[tokio::test]
    async fn frames_cross_sealed_small_and_large_in_order() {
        let sizes = [3usize, 0, 1 << 20, 70_000, 5, (3 << 20) + 1];
        let frames: Vec<Frame> = sizes
            .iter()
            .enumerate()
            .map(|(t, &n)| data(t as i32, n))
            .collect();
        let bytes = wire(frames.clone()).await;
        assert!(
            !bytes.windows(64).any(|w| {
                let Frame::Data(m) = &frames[2] else {
                    return false;
                };
                w == &m.body[1000..1064]
            }),
            "a body in clear on the wire"
        );
        let (got, end, failure) = read(bytes).await;
        assert_eq!(got, frames);
        assert!(matches!(end, ReadEnd::Closed(_)), "{end:?}");
        assert_eq!(failure, None);
    }

    #[tokio::test]
    async fn a_flipped_byte_stops_the_reader_with_the_reason() {
        let frames = vec![data(1, 10), data(2, 100_000), data(3, 10)];
        let mut bytes = wire(frames.clone()).await;
        // Inside the second frame's body, well past the first sealed frame.
        let at = bytes.len() - 2000;
        bytes[at] ^= 0x40;
        let (got, end, failure) = read(bytes).await;
        assert!(
            got.len() < 3,
            "a frame after the altered byte was delivered"
        );
        assert!(
            matches!(failure, Some(SealError::Forged { .. })),
            "{failure:?}"
        );
        let ReadEnd::Closed(why) = end else {
            panic!("{end:?}")
        };
        assert!(why.contains("failed authentication"), "{why}");
    }

    #[tokio::test]
    async fn a_cut_stream_and_garbage_are_refused() {
        let bytes = wire(vec![data(1, 50_000)]).await;
        let (got, _, failure) = read(bytes[..bytes.len() - 1].to_vec()).await;
        assert!(got.is_empty());
        assert_eq!(failure, Some(SealError::Truncated));
        let (got, _, failure) = read(b"GET / HTTP/1.0\r\n\r\n".to_vec()).await;
        assert!(got.is_empty());
        assert!(
            matches!(failure, Some(SealError::BadLength { .. })),
            "{failure:?}"
        );
    }
}
