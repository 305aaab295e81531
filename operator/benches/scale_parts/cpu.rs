//! CPU seconds (user + system) of the operator and of the control plane's processes, from
//! `/proc/<pid>/stat`: says which side a start-up spends its time on.

/// Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

/// utime + stime of `pid`, in seconds (0 when it is gone).
pub fn seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start past the last ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of stat(5); `rest` starts at field 3.
    (tick(11) + tick(12)) / TICKS
}

/// Pids of processes whose command name is `comm`.
pub fn pids_named(comm: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == comm)
        })
        .collect()
}

/// CPU seconds of the operator, kube-apiserver and etcd at one moment.
#[derive(Clone, Copy, Default)]
pub struct Sample {
    pub operator: f64,
    pub apiserver: f64,
    pub etcd: f64,
    pub controller_manager: f64,
}

pub fn sample(operator: u32) -> Sample {
    let sum = |comm: &str| pids_named(comm).into_iter().map(seconds).sum();
    Sample {
        operator: seconds(operator),
        apiserver: sum("kube-apiserver"),
        etcd: sum("etcd"),
        // comm is cut at 15 characters.
        controller_manager: sum("kube-controller"),
    }
}

impl std::fmt::Display for Sample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "operator {:.1}s, kube-apiserver {:.1}s, etcd {:.1}s, kube-controller-manager {:.1}s",
            self.operator, self.apiserver, self.etcd, self.controller_manager
        )
    }
}

impl std::ops::Sub for Sample {
    type Output = Sample;
    fn sub(self, o: Sample) -> Sample {
        Sample {
            operator: self.operator - o.operator,
            apiserver: self.apiserver - o.apiserver,
            etcd: self.etcd - o.etcd,
            controller_manager: self.controller_manager - o.controller_manager,
        }
    }
}
