//! The messages master and slaves exchange, and their tags.
//!
//! Everything is packed with libpvm's `PvmDataDefault` (XDR) encoding, so a master and
//! slaves on hosts of different byte order understand each other, as in PVMPOV.
//! Pixels travel already encoded to 8-bit RGB by the slave: the encoding is a pure
//! function of the colour and the scene's gamma, so the bytes are the ones a local
//! render would write.

use pvm::error::PvmError;
use pvm::pack::{Buffer, Encoding};

use crate::animation::FrameClock;
use crate::render::{Antialias, Method, Rect};
use crate::sdl::{DataFile, ParseOptions, SourceFile};
use crate::stats::MediaCounts;
use crate::stats::Stats;

/// Master → slave: the scene, its files and the render settings.
pub const TAG_JOB: i32 = 0x7000;
/// Master → slave: render this block.
pub const TAG_WORK: i32 = 0x7001;
/// Slave → master: a finished block.
pub const TAG_RESULT: i32 = 0x7002;
/// Slave → master: the slave cannot render this job (the reason as text).
pub const TAG_FAILED: i32 = 0x7003;
/// Master → slave: no more work; exit.
pub const TAG_DONE: i32 = 0x7004;
/// pvmd → master: a slave exited (PvmTaskExit notify).
pub const TAG_SLAVE_EXIT: i32 = 0x7005;
/// pvmd → slave: the master exited (PvmTaskExit notify).
pub const TAG_MASTER_EXIT: i32 = 0x7006;

/// A message that does not decode as the protocol says.
#[derive(Debug, thiserror::Error)]
#[error("malformed {what} message: {source}")]
pub struct WireError {
    what: &'static str,
    #[source]
    source: PvmError,
}

fn ctx(what: &'static str) -> impl Fn(PvmError) -> WireError {
    move |source| WireError { what, source }
}

/// What a slave needs to render: the scene files as the master read them, the parse
/// options, and the image settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub main: String,
    pub files: Vec<SourceFile>,
    /// Binary files the scene read (fonts).
    pub data: Vec<DataFile>,
    pub parse: ParseOptions,
    pub width: u32,
    pub height: u32,
    pub antialias: Option<Antialias>,
    /// Niceness the slave gives itself before rendering (PVMPOV's nice level).
    pub nice: i32,
}

impl Job {
    pub fn encode(&self) -> Result<Buffer, PvmError> {
        let mut b = Buffer::new(Encoding::Default);
        b.pack(self.main.as_str())?;
        b.pack(&(self.files.len() as i32))?;
        for f in &self.files {
            b.pack(f.name.as_str())?.pack(&*f.text)?;
        }
        b.pack(&(self.data.len() as i32))?;
        for d in &self.data {
            b.pack(d.name.as_str())?
                .pack(&(d.bytes.len() as i32))?
                .pack(d.bytes.as_slice())?;
        }
        let p = &self.parse;
        b.pack(&(p.include_paths.len() as i32))?;
        for path in &p.include_paths {
            b.pack(path.as_str())?;
        }
        b.pack(&p.clock)?;
        b.pack(&(p.declares.len() as i32))?;
        for (name, value) in &p.declares {
            b.pack(name.as_str())?.pack(value)?;
        }
        b.pack(&p.version.unwrap_or(-1.0))?;
        b.pack(&[p.image_width, p.image_height, self.width, self.height])?;
        match &self.antialias {
            // The method number doubles as the "anti-aliasing on" flag.
            Some(aa) => b
                .pack(&(aa.method.number() as i32))?
                .pack(&aa.threshold)?
                .pack(&aa.depth)?
                .pack(&aa.jitter)?,
            None => b.pack(&0i32)?,
        };
        b.pack(&self.nice)?;
        let f = &p.frame;
        b.pack(&[f.clock, f.clock_delta, f.initial_clock, f.final_clock][..])?;
        b.pack(&[i32::from(f.clock_on)][..])?;
        b.pack(&[f.frame_number, f.initial_frame, f.final_frame].map(|n| n as f64)[..])?;
        b.pack(&p.now)?;
        Ok(b)
    }

    pub fn decode(b: &mut Buffer) -> Result<Job, WireError> {
        Self::decode_inner(b).map_err(ctx("job"))
    }

    fn decode_inner(b: &mut Buffer) -> Result<Job, PvmError> {
        let main: String = b.unpack()?;
        let n = count(b)?;
        let mut files = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            files.push(SourceFile {
                name: b.unpack()?,
                text: b.unpack::<String>()?.into(),
            });
        }
        let n = count(b)?;
        let mut data = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let name = b.unpack()?;
            let len = count(b)?;
            data.push(DataFile {
                name,
                bytes: b.unpack_vec(len)?,
            });
        }
        let n = count(b)?;
        let include_paths = (0..n).map(|_| b.unpack()).collect::<Result<_, _>>()?;
        let clock: f64 = b.unpack()?;
        let n = count(b)?;
        let declares = (0..n)
            .map(|_| Ok((b.unpack()?, b.unpack()?)))
            .collect::<Result<_, PvmError>>()?;
        let version: f64 = b.unpack()?;
        let sizes: Vec<u32> = b.unpack_vec(4)?;
        let antialias = match b.unpack::<i32>()? {
            0 => None,
            n => Some(Antialias {
                method: u32::try_from(n)
                    .ok()
                    .and_then(Method::from_number)
                    .ok_or(PvmError::BadMsg)?,
                threshold: b.unpack()?,
                depth: b.unpack()?,
                jitter: b.unpack()?,
            }),
        };
        let nice = b.unpack()?;
        let clocks: Vec<f64> = b.unpack_vec(4)?;
        let on: Vec<i32> = b.unpack_vec(1)?;
        let numbers: Vec<f64> = b.unpack_vec(3)?;
        let frame = FrameClock {
            clock: clocks[0],
            clock_delta: clocks[1],
            initial_clock: clocks[2],
            final_clock: clocks[3],
            clock_on: on[0] != 0,
            frame_number: numbers[0] as i64,
            initial_frame: numbers[1] as i64,
            final_frame: numbers[2] as i64,
        };
        let now = b.unpack()?;
        Ok(Job {
            main,
            files,
            data,
            parse: ParseOptions {
                include_paths,
                clock,
                declares,
                version: (version >= 0.0).then_some(version),
                image_width: sizes[0],
                image_height: sizes[1],
                frame,
                now,
            },
            width: sizes[2],
            height: sizes[3],
            antialias,
            nice,
        })
    }
}

fn count(b: &mut Buffer) -> Result<usize, PvmError> {
    let n: i32 = b.unpack()?;
    usize::try_from(n).map_err(|_| PvmError::BadMsg)
}

/// Master → slave: one block to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Work {
    pub id: u32,
    pub rect: Rect,
}

impl Work {
    pub fn encode(&self) -> Result<Buffer, PvmError> {
        let mut b = Buffer::new(Encoding::Default);
        let r = self.rect;
        b.pack(&[self.id, r.x0, r.y0, r.x1, r.y1])?;
        Ok(b)
    }

    pub fn decode(b: &mut Buffer) -> Result<Work, WireError> {
        let v: Vec<u32> = b.unpack_vec(5).map_err(ctx("work"))?;
        Ok(Work {
            id: v[0],
            rect: Rect {
                x0: v[1],
                y0: v[2],
                x1: v[3],
                y1: v[4],
            },
        })
    }
}

/// Slave → master: a rendered block, its pixels as 8-bit RGB, row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct Done {
    pub work: Work,
    pub rgb: Vec<u8>,
    pub stats: Stats,
}

const KINDS: usize = crate::stats::KINDS;
/// The scalar counters, then tests and successes per shape kind.
const SCALARS: usize = 13;
const STAT_WORDS: usize = SCALARS + 2 * KINDS;

fn stats_words(s: &Stats) -> [u64; STAT_WORDS] {
    let mut w = [0u64; STAT_WORDS];
    w[..SCALARS].copy_from_slice(&[
        s.pixels,
        s.samples,
        s.rays,
        s.camera_rays,
        s.shadow_rays,
        s.shadow_blocked,
        s.reflected_rays,
        s.refracted_rays,
        u64::from(s.max_level),
        s.internal_reflected_rays,
        s.transmitted_rays,
        s.media.intervals,
        s.media.samples,
    ]);
    w[SCALARS..SCALARS + KINDS].copy_from_slice(&s.tests);
    w[SCALARS + KINDS..].copy_from_slice(&s.successes);
    w
}

fn stats_from(w: &[u64]) -> Stats {
    let mut s = Stats {
        pixels: w[0],
        samples: w[1],
        rays: w[2],
        camera_rays: w[3],
        shadow_rays: w[4],
        shadow_blocked: w[5],
        reflected_rays: w[6],
        refracted_rays: w[7],
        max_level: u32::try_from(w[8]).unwrap_or(u32::MAX),
        internal_reflected_rays: w[9],
        transmitted_rays: w[10],
        media: MediaCounts {
            intervals: w[11],
            samples: w[12],
        },
        ..Stats::default()
    };
    s.tests.copy_from_slice(&w[SCALARS..SCALARS + KINDS]);
    s.successes.copy_from_slice(&w[SCALARS + KINDS..STAT_WORDS]);
    s
}

impl Done {
    pub fn encode(&self) -> Result<Buffer, PvmError> {
        let mut b = self.work.encode()?;
        // Counters are packed as pairs of 32-bit words: XDR's long is 32 bits in PVM.
        let words: Vec<u32> = stats_words(&self.stats)
            .iter()
            .flat_map(|v| [(v >> 32) as u32, *v as u32])
            .collect();
        b.pack(&words[..])?;
        b.pack(&(self.rgb.len() as i32))?;
        b.pack(&self.rgb[..])?;
        Ok(b)
    }

    pub fn decode(b: &mut Buffer) -> Result<Done, WireError> {
        let work = Work::decode(b)?;
        let inner = |b: &mut Buffer| -> Result<Done, PvmError> {
            let halves: Vec<u32> = b.unpack_vec(STAT_WORDS * 2)?;
            let words: Vec<u64> = halves
                .chunks(2)
                .map(|p| (u64::from(p[0]) << 32) | u64::from(p[1]))
                .collect();
            let n = count(b)?;
            if n != work.rect.area() * 3 {
                return Err(PvmError::BadMsg);
            }
            Ok(Done {
                work,
                rgb: b.unpack_vec(n)?,
                stats: stats_from(&words),
            })
        };
        inner(b).map_err(ctx("result"))
    }
}

/// Slave → master: why this slave cannot render.
pub fn encode_failure(reason: &str) -> Result<Buffer, PvmError> {
    let mut b = Buffer::new(Encoding::Default);
    b.pack(reason)?;
    Ok(b)
}

pub fn decode_failure(b: &mut Buffer) -> String {
    b.unpack::<String>()
        .unwrap_or_else(|_| "(unreadable reason)".to_string())
}

/// The tid a PvmTaskExit notification names.
pub fn decode_exit(b: &mut Buffer) -> Result<i32, WireError> {
    b.unpack::<i32>().map_err(ctx("task-exit notification"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reread(mut b: Buffer) -> Buffer {
        Buffer::received(Encoding::Default, b.body())
    }

    #[test]
    fn job_round_trips() {
        let job = Job {
            main: "scene.pov".into(),
            files: vec![
                SourceFile {
                    name: "scene.pov".into(),
                    text: "sphere{0,1}".into(),
                },
                SourceFile {
                    name: "x.inc".into(),
                    text: "".into(),
                },
            ],
            data: vec![DataFile {
                name: "font.ttf".into(),
                bytes: vec![0, 1, 2, 255],
            }],
            parse: ParseOptions {
                include_paths: vec!["/inc".into()],
                clock: 0.5,
                declares: vec![("A".into(), 2.0)],
                version: Some(3.1),
                image_width: 64,
                image_height: 48,
                frame: FrameClock {
                    clock: 0.5,
                    clock_delta: 0.25,
                    clock_on: true,
                    frame_number: 3,
                    initial_frame: 1,
                    final_frame: 5,
                    initial_clock: 0.0,
                    final_clock: 1.0,
                },
                now: 9_800.25,
            },
            width: 64,
            height: 48,
            antialias: Some(Antialias {
                method: Method::Adaptive,
                threshold: 0.1,
                depth: 3,
                jitter: 0.0,
            }),
            nice: 5,
        };
        let back = Job::decode(&mut reread(job.encode().unwrap())).unwrap();
        assert_eq!(back, job);
    }

    #[test]
    fn result_round_trips_and_checks_size() {
        let done = Done {
            work: Work {
                id: 7,
                rect: Rect {
                    x0: 0,
                    y0: 2,
                    x1: 2,
                    y1: 3,
                },
            },
            rgb: vec![1, 2, 3, 4, 5, 6],
            stats: Stats {
                pixels: 2,
                camera_rays: u64::from(u32::MAX) + 5,
                shadow_blocked: 3,
                max_level: 4,
                transmitted_rays: 9,
                media: MediaCounts {
                    intervals: 1,
                    samples: u64::MAX,
                },
                ..Stats::default()
            },
        };
        assert_eq!(
            Done::decode(&mut reread(done.encode().unwrap())).unwrap(),
            done
        );

        let mut bad = done.clone();
        bad.rgb.pop();
        assert!(Done::decode(&mut reread(bad.encode().unwrap())).is_err());
    }

    #[test]
    fn truncated_messages_are_errors() {
        let mut b = Buffer::new(Encoding::Default);
        b.pack(&3u32).unwrap();
        assert!(Work::decode(&mut reread(b)).is_err());
        assert!(Job::decode(&mut reread(Buffer::new(Encoding::Default))).is_err());
    }
}
