//! The hosts request family: the master's host table at work, starting hosts (`add`,
//! the hostfile), deleting them, dropping lost ones, and telling every pvmd what
//! changed. What a lost host's tasks set off in the other families is the daemon's
//! (`ends`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use pvm::error::PvmError;
use pvm::proto::peer::{PeerHost, PeerMsg};
use pvm::proto::{Frame, HostInfo, Reply};
use pvm::tid::Tid;
use tokio::sync::{mpsc, oneshot, Semaphore};
use tokio::task::JoinHandle;

use super::input::{AddOutcome, HostStart, Input};
use crate::hostfile::HostEntry;
use crate::hosts::{HostTable, DEFAULT_SPEED};
use crate::output::Outputs;
use crate::peer;
use crate::remote::{self, Rsh, SlaveConfig, StartFailure, Started};
use crate::router::ReplyTo;
use crate::wiring::Wiring;

/// Who waits for an `add`: a task (or a slave on its behalf), or startup.
#[derive(Debug)]
pub enum AddDone {
    Reply(ReplyTo),
    Startup(oneshot::Sender<Vec<(String, AddOutcome)>>),
}

/// How many remote starts run at once. Each is an ssh login (key exchange, a
/// shell, a pvmd that forks): started all together, 64 of them on a 2-core master
/// take turns for the CPU until the last ones run out of their time limit. Taking
/// turns here instead, each start's limit counts from its turn, and a large
/// hostfile comes up about as fast as the CPU allows.
const CONCURRENT_STARTS: usize = 8;

/// Host starts in progress (on the master).
#[derive(Debug)]
pub(super) struct Adds {
    /// By gather id.
    gathers: HashMap<u64, AddGather>,
    /// Host numbers reserved, with the name being started.
    starting: BTreeMap<u32, String>,
    /// Turns for remote starts ([`CONCURRENT_STARTS`]).
    turns: Arc<Semaphore>,
}

impl Default for Adds {
    fn default() -> Adds {
        Adds {
            gathers: HashMap::new(),
            starting: BTreeMap::new(),
            turns: Arc::new(Semaphore::new(CONCURRENT_STARTS)),
        }
    }
}

/// Hosts being started by one `add`.
#[derive(Debug)]
struct AddGather {
    done: AddDone,
    results: Vec<(String, Option<AddOutcome>)>,
}

impl Adds {
    /// Checks a host may be added and reserves its number.
    fn reserve(
        &mut self,
        hosts: &HostTable,
        secret: &[u8],
        name: &str,
    ) -> Result<(u32, SlaveConfig), StartFailure> {
        let fail = |code, reason: String| StartFailure { code, reason };
        if name.is_empty() {
            return Err(fail(PvmError::BadParam, "empty host name".into()));
        }
        if hosts.find(name).is_some() {
            return Err(fail(
                PvmError::DupHost,
                format!("{name} is already in the virtual machine"),
            ));
        }
        if self.starting.values().any(|n| n == name) {
            return Err(fail(
                PvmError::DupHost,
                format!("{name} is being added already"),
            ));
        }
        let number = hosts
            .free_number(|n| self.starting.contains_key(&n))
            .ok_or_else(|| fail(PvmError::OutOfRes, "no host number left".into()))?;
        let entry = hosts.entry_for(name);
        self.starting.insert(number, name.to_string());
        let o = &entry.opts;
        let config = SlaveConfig {
            version: remote::PROTOCOL_VERSION.to_string(),
            secret: pvm::proto::auth::to_hex(secret),
            host: number,
            name: name.to_string(),
            master: hosts.local.info.name.clone(),
            ep: o.ep.clone(),
            wd: o.wd.clone(),
            bx: o.bx.clone(),
            sp: o.sp.unwrap_or(DEFAULT_SPEED),
            pvm_root: std::env::var("PVM_ROOT").ok().filter(|r| !r.is_empty()),
        };
        Ok((number, config))
    }

    /// Host `slot` of `add` started, or failed.
    fn record(&mut self, add: u64, slot: usize, outcome: AddOutcome) {
        if let Some(r) = self
            .gathers
            .get_mut(&add)
            .and_then(|g| g.results.get_mut(slot))
        {
            r.1 = Some(outcome);
        }
    }

    /// Who waits for `add` and every host's outcome, once all are known.
    fn finished(&mut self, add: u64) -> Option<(AddDone, Vec<(String, AddOutcome)>)> {
        let g = self.gathers.get(&add)?;
        if g.results.iter().any(|(_, r)| r.is_none()) {
            return None;
        }
        let g = self.gathers.remove(&add)?;
        let results = g
            .results
            .into_iter()
            .filter_map(|(name, r)| r.map(|r| (name, r)))
            .collect();
        Some((g.done, results))
    }
}

/// A host `pvm_delhosts` deleted: its number, and its link's writer, awaited at
/// shutdown so the halt it was sent leaves.
pub(super) struct Deleted {
    pub(super) host: u32,
    pub(super) writer: Option<JoinHandle<()>>,
}

/// What the hosts family works on: the host table, the starts in progress, the
/// wiring, the log, and the actor's inputs (where a start reports).
pub(super) struct HostCx<'a> {
    hosts: &'a mut HostTable,
    adds: &'a mut Adds,
    wiring: &'a mut Wiring,
    outputs: &'a mut Outputs,
    inputs: &'a mpsc::UnboundedSender<Input>,
}

impl<'a> HostCx<'a> {
    pub(super) fn new(
        hosts: &'a mut HostTable,
        adds: &'a mut Adds,
        wiring: &'a mut Wiring,
        outputs: &'a mut Outputs,
        inputs: &'a mpsc::UnboundedSender<Input>,
    ) -> HostCx<'a> {
        HostCx {
            hosts,
            adds,
            wiring,
            outputs,
            inputs,
        }
    }

    /// A slave received the master's table: the hosts added to it and the ones gone.
    pub(super) fn new_table(&mut self, hosts: Vec<PeerHost>) -> (Vec<Tid>, Vec<Tid>) {
        if let Some(me) = hosts.iter().find(|h| h.info.dtid == self.wiring.me()) {
            self.wiring.cluster_mut().set_local_addr(&me.addr);
        }
        self.hosts.replace(hosts)
    }

    /// The master tells every slave the current table.
    pub(super) fn publish_table(&mut self) {
        let cluster = self.wiring.cluster();
        let hosts = self.hosts.peers(cluster.local_addr());
        for host in cluster.linked() {
            cluster.send_link(
                host,
                Frame::Peer(PeerMsg::Hosts {
                    hosts: hosts.clone(),
                }),
            );
        }
    }

    /// The master lost host `host` (failed, cut off, deleted or halted): it leaves
    /// the table and every slave hears. False if it was not in the table.
    pub(super) fn drop_host(&mut self, host: u32, why: &str) -> bool {
        if !self.hosts.remove_remote(host) {
            return false;
        }
        self.wiring.cluster_mut().abort_link(host);
        let name = format!("{}", Tid::pvmd(host));
        self.outputs.log(&format!("host {name} deleted: {why}"));
        tracing::warn!(host = %name, "host deleted: {why}");
        self.publish_table();
        true
    }

    /// `pvm_addhosts` on the master: starts each named host in the background.
    pub(super) fn add_hosts(&mut self, names: Vec<String>, done: AddDone) {
        let cluster = self.wiring.cluster_mut();
        let gather = cluster.gather_id();
        let mut results = Vec::with_capacity(names.len());
        let mut starts = Vec::new();
        for (slot, name) in names.into_iter().enumerate() {
            let secret = cluster.secret();
            let outcome = match self.adds.reserve(self.hosts, secret, &name) {
                Ok((number, config)) => {
                    starts.push((slot, number, config, self.hosts.entry_for(&name)));
                    None
                }
                Err(e) => Some(Err(e)),
            };
            results.push((name, outcome));
        }
        self.adds
            .gathers
            .insert(gather, AddGather { done, results });
        let Some(rsh) = cluster.rsh().cloned() else {
            self.finish_add(gather);
            return;
        };
        let secret = cluster.secret().to_vec();
        for (slot, number, config, entry) in starts {
            let (inputs, rsh, secret) = (self.inputs.clone(), rsh.clone(), secret.clone());
            let turns = Arc::clone(&self.adds.turns);
            tokio::spawn(async move {
                // The semaphore is never closed, so a turn always comes.
                let _turn = turns.acquire_owned().await;
                let result = start_host(&rsh, &entry, &config, &secret).await;
                let start = HostStart {
                    add: gather,
                    slot,
                    number,
                    entry,
                    result,
                };
                let _ = inputs.send(Input::HostStarted(Box::new(start)));
            });
        }
        self.finish_add(gather);
    }

    /// A host start finished: link it in (unless pvmd is `halting`), or record why
    /// not. Returns the `add` it belongs to, answered by [`HostCx::finish_add`], and
    /// the host added.
    pub(super) fn host_started(&mut self, s: HostStart, halting: bool) -> (u64, Option<Tid>) {
        self.adds.starting.remove(&s.number);
        let outcome = match s.result {
            Ok((started, stream, local_addr)) if !halting => {
                let cluster = self.wiring.cluster_mut();
                if cluster.local_addr().is_empty() {
                    cluster.set_local_addr(&local_addr);
                }
                let link = peer::link::start(s.number, stream, self.inputs.clone());
                cluster.insert_link(s.number, link);
                let dtid = Tid::pvmd(s.number);
                self.hosts.add_remote(PeerHost {
                    info: HostInfo {
                        dtid,
                        name: s.entry.name.clone(),
                        arch: started.arch,
                        speed: s.entry.opts.sp.unwrap_or(DEFAULT_SPEED),
                        dsig: started.dsig,
                    },
                    addr: started.addr,
                });
                self.outputs.log(&format!(
                    "host {} ({}) added as {dtid}",
                    s.entry.name, started.hostname
                ));
                self.publish_table();
                Ok(dtid)
            }
            Ok(_) => Err(StartFailure {
                code: PvmError::SysErr,
                reason: "pvmd is halting".into(),
            }),
            Err(e) => {
                self.outputs
                    .log(&format!("cannot add host {}: {}", s.entry.name, e.reason));
                Err(e)
            }
        };
        let added = outcome.as_ref().ok().copied();
        self.adds.record(s.add, s.slot, outcome);
        (s.add, added)
    }

    /// Answers an `add` once every host of it has started or failed.
    pub(super) fn finish_add(&mut self, gather: u64) {
        let Some((done, results)) = self.adds.finished(gather) else {
            return;
        };
        match done {
            AddDone::Reply(to) => {
                let codes = results
                    .iter()
                    .map(|(_, r)| r.as_ref().map_or_else(|e| e.code.code(), |t| t.raw()))
                    .collect();
                let reasons = results
                    .into_iter()
                    .map(|(_, r)| r.err().map(|e| e.reason).unwrap_or_default())
                    .collect();
                self.wiring.answer(
                    to,
                    Reply::Hosts {
                        results: codes,
                        reasons,
                    },
                );
            }
            AddDone::Startup(tx) => {
                let _ = tx.send(results);
            }
        }
    }

    /// `pvm_delhosts` of host `name`, on the master: its pvmd is told to halt and its
    /// link closed; the caller drops the host. The error code and reason if it
    /// cannot be deleted.
    pub(super) fn delete(&mut self, name: &str) -> Result<Deleted, (PvmError, String)> {
        match self.hosts.find(name) {
            None => Err((
                PvmError::NoHost,
                format!("{name} is not in the virtual machine"),
            )),
            Some(n) if n == self.hosts.me() => Err((
                PvmError::BadParam,
                "the master host cannot be deleted".into(),
            )),
            Some(host) => {
                let cluster = self.wiring.cluster_mut();
                cluster.send_link(host, Frame::Peer(PeerMsg::Halt {}));
                let writer = cluster.close_link(host);
                Ok(Deleted { host, writer })
            }
        }
    }

    /// The master halts: every slave is told to halt too.
    pub(super) fn halt_slaves(&mut self) {
        if self.hosts.is_master() {
            let cluster = self.wiring.cluster();
            for host in cluster.linked() {
                cluster.send_link(host, Frame::Peer(PeerMsg::Halt {}));
            }
        }
    }

    /// A slave halting on its own (a signal) tells the master it is leaving.
    pub(super) fn leave_machine(&mut self) {
        if !self.hosts.is_master() {
            self.wiring
                .cluster()
                .send_link(1, Frame::Peer(PeerMsg::Halt {}));
        }
    }
}

/// Starts one slave over ssh and links to it.
async fn start_host(
    rsh: &Rsh,
    entry: &HostEntry,
    config: &SlaveConfig,
    secret: &[u8],
) -> Result<(Started, peer::Authenticated, String), StartFailure> {
    let started = remote::ssh::start(rsh, entry, config).await?;
    match peer::connect_to_slave(&started.addr, started.port, secret).await {
        Ok((stream, local)) => Ok((started, stream, local)),
        Err(e) => Err(StartFailure {
            code: PvmError::CantStart,
            reason: format!(
                "pvmd on {} started but its port {}:{} is unusable: {e}",
                entry.name, started.addr, started.port
            ),
        }),
    }
}
