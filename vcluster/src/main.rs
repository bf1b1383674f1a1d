//! `vcluster`: build a virtual cluster of hosts on this machine for PVM.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use vcluster::cgroup::{self, Limits};
use vcluster::cluster::{self, Cluster, UpOptions};
use vcluster::{image, machine};

/// Virtual hosts on one Linux box, each a machine of its own: a copy-on-write root
/// over a base, its own PID/mount/UTS/IPC/network namespaces, address, host name,
/// sshd and cgroup limits, plus a ready PVM hostfile. Clusters can be saved,
/// restored and cloned. Needs root.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build a cluster of N virtual hosts (h1..hN).
    Up {
        /// How many virtual hosts.
        count: usize,
        /// The cluster's name (1-8 lower-case letters or digits).
        #[arg(long, default_value = "vc")]
        name: String,
        /// The user who will ssh into the hosts (default: the sudo user, else root).
        #[arg(long)]
        user: Option<String>,
        /// The hosts' base (lower layer): a directory holding a root file system.
        /// Default: this machine's root.
        #[arg(long)]
        base: Option<PathBuf>,
        /// Memory per host (256M, 1G); a task over it is killed on its host only.
        #[arg(long, value_parser = cgroup::parse_memory)]
        memory: Option<u64>,
        /// CPU time per host, in CPUs (0.5 = half a core).
        #[arg(long, value_parser = cgroup::parse_cpus)]
        cpus: Option<f64>,
        /// The subnet: 10.250.<SUBNET>.0/24 (default: a free one).
        #[arg(long)]
        subnet: Option<u8>,
        /// Take down a cluster of this name first, so every host starts from the base.
        #[arg(long)]
        fresh: bool,
    },
    /// List clusters and their hosts, with each host's memory and CPU use.
    List,
    /// Run a command on a virtual host (in its namespaces, root and cgroups).
    Exec {
        /// Host name (h1) or address.
        host: String,
        /// The command and its arguments.
        #[arg(trailing_var_arg = true, required = true)]
        command: Vec<String>,
        #[arg(long, default_value = "vc")]
        name: String,
    },
    /// Cut a host off as a crash would: link down, every process in it killed.
    Kill {
        host: String,
        #[arg(long, default_value = "vc")]
        name: String,
    },
    /// Cut a host off as a network partition would: link down, its processes go on.
    Cut {
        host: String,
        #[arg(long, default_value = "vc")]
        name: String,
    },
    /// Bring a host that was killed or cut off back: link up, booted again from its
    /// layer if it was killed (its files are kept, its processes are not).
    Heal {
        host: String,
        #[arg(long, default_value = "vc")]
        name: String,
    },
    /// Put a host back to the base: its layer is thrown away and it boots fresh.
    Reset {
        host: String,
        #[arg(long, default_value = "vc")]
        name: String,
    },
    /// Save a cluster (its description, keys and every host's layer) as an image.
    Save {
        /// The image's name.
        image: String,
        #[arg(long, default_value = "vc")]
        name: String,
    },
    /// Build a saved cluster again: the same hosts, addresses, keys and files.
    Restore {
        /// The image's name.
        image: String,
        /// Restore as a new cluster of this name instead (its own subnet and keys).
        #[arg(long = "as")]
        as_name: Option<String>,
    },
    /// Make a new cluster whose hosts start with copies of a running cluster's files.
    Clone {
        /// The cluster to copy.
        from: String,
        /// The new cluster's name.
        to: String,
    },
    /// List saved images and the space each takes (or remove one).
    Images {
        /// Remove this image.
        #[arg(long)]
        remove: Option<String>,
    },
    /// Remove a cluster and everything it made.
    Down {
        /// The cluster's name.
        #[arg(default_value = "vc")]
        name: String,
    },
    /// A host's init (vcluster runs this itself when it boots a host).
    #[command(name = "_init", hide = true)]
    Init { spec: PathBuf },
}

fn main() -> ExitCode {
    // `vcluster list | head` should end quietly, as other tools do, not panic on EPIPE.
    // SAFETY: restoring the default disposition of SIGPIPE installs no handler code, and
    // no other thread exists yet.
    let _ = unsafe {
        nix::sys::signal::signal(
            nix::sys::signal::Signal::SIGPIPE,
            nix::sys::signal::SigHandler::SigDfl,
        )
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("VCLUSTER_LOG"))
        .with_writer(std::io::stderr)
        // No colour codes in logs that go to a file or a pipe.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("vcluster: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Cmd::Up {
            count,
            name,
            user,
            base,
            memory,
            cpus,
            subnet,
            fresh,
        } => {
            cluster::require_root()?;
            let user = user
                .or_else(|| std::env::var("SUDO_USER").ok())
                .unwrap_or_else(|| "root".to_string());
            if fresh {
                if let Ok(old) = Cluster::load(&name) {
                    old.down().context("taking the old cluster down")?;
                }
            }
            let opts = UpOptions {
                user,
                base,
                limits: Limits { memory, cpus },
                subnet,
            };
            let c = Cluster::up(&name, count, &opts)?;
            print_up(&c);
            Ok(ExitCode::SUCCESS)
        }
        Cmd::List => {
            let all = Cluster::list();
            if all.is_empty() {
                println!("no clusters");
            }
            for c in all {
                println!(
                    "{} (10.250.{}.0/24, {}, base {}{})",
                    c.name,
                    c.subnet,
                    c.dir.display(),
                    c.base.display(),
                    limits_text(&c.limits)
                );
                print_hosts(&c);
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Exec {
            host,
            command,
            name,
        } => {
            cluster::require_root()?;
            let c = Cluster::load(&name)?;
            let h = c.host(&host)?;
            let mut cmd = c.exec_command(h, &command)?;
            c.join_cgroups(h)?;
            let status = cmd.status().context("running nsenter")?;
            Ok(ExitCode::from(
                status.code().unwrap_or(1).clamp(0, 255) as u8
            ))
        }
        Cmd::Kill { host, name } => {
            cluster::require_root()?;
            let mut c = Cluster::load(&name)?;
            c.kill_host(&host)?;
            println!("{host} of cluster {name} is cut off");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Cut { host, name } => {
            cluster::require_root()?;
            Cluster::load(&name)?.cut_host(&host)?;
            println!("{host} of cluster {name} is cut off (its processes still run)");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Heal { host, name } => {
            cluster::require_root()?;
            let mut c = Cluster::load(&name)?;
            c.heal_host(&host)?;
            println!("{host} of cluster {name} is back");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Reset { host, name } => {
            cluster::require_root()?;
            let mut c = Cluster::load(&name)?;
            c.reset_host(&host)?;
            println!("{host} of cluster {name} is back to its base");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Save { image: img, name } => {
            cluster::require_root()?;
            let c = Cluster::load(&name)?;
            let saved = image::save(&c, &img)?;
            println!(
                "cluster {name} saved as {img} in {} ({})",
                saved.dir.display(),
                size_text(saved.bytes)
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Restore {
            image: img,
            as_name,
        } => {
            let c = image::restore(&img, as_name.as_deref())?;
            print_up(&c);
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Clone { from, to } => {
            cluster::require_root()?;
            let src = Cluster::load(&from)?;
            let c = image::clone(&src, &to)?;
            print_up(&c);
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Images { remove } => {
            if let Some(img) = remove {
                cluster::require_root()?;
                image::remove(&img)?;
                println!("image {img} removed");
                return Ok(ExitCode::SUCCESS);
            }
            let all = image::list();
            println!("images in {}:", image::images_dir().display());
            if all.is_empty() {
                println!("  none");
            }
            for i in all {
                println!(
                    "  {:<20} cluster {:<8} {:>3} hosts  10.250.{}.0/24  {:>9}",
                    i.name,
                    i.cluster.name,
                    i.cluster.hosts.len(),
                    i.cluster.subnet,
                    size_text(i.bytes)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Down { name } => {
            cluster::require_root()?;
            let c = Cluster::load(&name)?;
            c.down()?;
            println!("cluster {name} removed");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Init { spec } => {
            machine::init_main(&spec)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_up(c: &Cluster) {
    println!(
        "cluster {} is up: {} hosts on 10.250.{}.0/24 (this machine is 10.250.{}.254 on {})",
        c.name,
        c.hosts.len(),
        c.subnet,
        c.subnet,
        c.bridge
    );
    print_hosts(c);
    println!(
        "PVM_TMP:    {} on host <h> (set for ssh logins and exec)",
        c.dir.join("tmp").join("<h>").display()
    );
    println!("hostfile:   {}", c.hostfile().display());
    println!("ssh config: {}", c.ssh_config().display());
    println!(
        "start PVM:  PVM_RSH=\"ssh -F {}\" pvm {}",
        c.ssh_config().display(),
        c.hostfile().display()
    );
}

fn limits_text(l: &Limits) -> String {
    let mut s = String::new();
    if let Some(m) = l.memory {
        s.push_str(&format!(", memory {} per host", size_text(m)));
    }
    if let Some(c) = l.cpus {
        s.push_str(&format!(", {c} CPUs per host"));
    }
    s
}

fn size_text(bytes: u64) -> String {
    const MIB: f64 = (1 << 20) as f64;
    if bytes >= 1 << 30 {
        format!("{:.1} GiB", bytes as f64 / (MIB * 1024.0))
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB)
    }
}

fn print_hosts(c: &Cluster) {
    let up = vcluster::net::all_links_up();
    for h in &c.hosts {
        let state = if h.is_up() { "up" } else { "down" };
        let link = if up.contains(&h.veth) { "up" } else { "down" };
        let usage = c.usage(h);
        let mem = usage.memory.map_or("-".to_string(), size_text);
        let cpu = usage
            .cpu
            .map_or("-".to_string(), |d| format!("{:.2}s", d.as_secs_f64()));
        println!(
            "  {:<4} {:<15} netns {:<16} sshd {:<4} link {link:<4} mem {mem:>9} cpu {cpu:>8}",
            h.name, h.addr, h.netns, state
        );
    }
}
