//! `vcluster`: build a virtual cluster of hosts on this machine for PVM.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use vcluster::cluster::{self, Cluster};

/// Virtual hosts on one Linux box: network namespaces bridged together, each with its
/// own address, host name and sshd, plus a ready PVM hostfile. Needs root.
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
    },
    /// List clusters and their hosts.
    List,
    /// Run a command on a virtual host (inside its namespaces).
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
    /// Bring a host that was killed or cut off back: link up, its sshd restarted if it
    /// was killed (nothing else restarts).
    Heal {
        host: String,
        #[arg(long, default_value = "vc")]
        name: String,
    },
    /// Remove a cluster and everything it made.
    Down {
        /// The cluster's name.
        #[arg(default_value = "vc")]
        name: String,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("VCLUSTER_LOG"))
        .with_writer(std::io::stderr)
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
        Cmd::Up { count, name, user } => {
            let user = user
                .or_else(|| std::env::var("SUDO_USER").ok())
                .unwrap_or_else(|| "root".to_string());
            let c = Cluster::up(&name, count, &user)?;
            println!(
                "cluster {} is up: {} hosts on 10.250.{}.0/24 (this machine is 10.250.{}.254 on {})",
                c.name,
                c.hosts.len(),
                c.subnet,
                c.subnet,
                c.bridge
            );
            print_hosts(&c);
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
            Ok(ExitCode::SUCCESS)
        }
        Cmd::List => {
            let all = Cluster::list();
            if all.is_empty() {
                println!("no clusters");
            }
            for c in all {
                println!("{} (10.250.{}.0/24, {})", c.name, c.subnet, c.dir.display());
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
            let status = c
                .exec_command(h, &command)
                .status()
                .context("running nsenter")?;
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
        Cmd::Down { name } => {
            cluster::require_root()?;
            let c = Cluster::load(&name)?;
            c.down()?;
            println!("cluster {name} removed");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_hosts(c: &Cluster) {
    for h in &c.hosts {
        let state = match h.sshd_pid {
            Some(p) if std::path::Path::new(&format!("/proc/{p}")).exists() => "up",
            _ => "down",
        };
        let link = if vcluster::net::link_is_up(&h.veth) {
            "up"
        } else {
            "down"
        };
        println!(
            "  {:<4} {:<15} netns {:<16} sshd {:<4} link {link}",
            h.name, h.addr, h.netns, state
        );
    }
}
