//! One typed method per RPC method. Mutating ones take the [`Origin`] (who asked, why).

use lifeguard_engine::{Origin, ProgramId, ProgramSnapshot, Snapshot};

use super::{Client, ClientError};
use crate::history::{Page, ProgramStats};
use crate::protocol::methods::{self as m, *};

impl Client {
    /// `hello`: the daemon's version, protocol, pid and uid.
    pub async fn hello(&self) -> Result<HelloInfo, ClientError> {
        self.call::<m::Hello>(Empty {}).await
    }

    /// `status`: the engine's snapshot.
    pub async fn status(&self) -> Result<Snapshot, ClientError> {
        self.call::<m::Status>(Empty {}).await
    }

    /// `usage`: memory and CPU time of every running program's process tree, read now.
    pub async fn usage(&self) -> Result<crate::protocol::usage::UsageReport, ClientError> {
        self.call::<crate::protocol::usage::UsageMethod>(Empty {})
            .await
    }

    /// `list`: the programs in the config file.
    pub async fn list(&self) -> Result<Vec<ProgramInfo>, ClientError> {
        self.call::<m::List>(Empty {}).await
    }

    /// `add`: saves the program to the config file and starts it.
    pub async fn add(
        &self,
        program: ProgramInfo,
        origin: Origin,
    ) -> Result<ProgramSnapshot, ClientError> {
        self.call::<m::Add>(ProgramParams {
            program,
            adopt: None,
            dry_run: false,
            origin,
        })
        .await
    }

    /// `add` with `adopt`: protects the running process `pid` as this program, without
    /// restarting it; it is relaunched with the program's argv when it dies.
    pub async fn add_adopting(
        &self,
        program: ProgramInfo,
        pid: u32,
        origin: Origin,
    ) -> Result<ProgramSnapshot, ClientError> {
        self.call::<m::Add>(ProgramParams {
            program,
            adopt: Some(pid),
            dry_run: false,
            origin,
        })
        .await
    }

    /// `update`: replaces the program's spec and options.
    pub async fn update(
        &self,
        program: ProgramInfo,
        origin: Origin,
    ) -> Result<ProgramSnapshot, ClientError> {
        self.update_with(program, false, origin).await
    }

    /// `update` with `dry_run`: whether the update would be accepted, writing nothing;
    /// a bad field is an `invalid_spec`/`invalid_params` error whose `data.field` names it.
    pub async fn check_update(
        &self,
        program: ProgramInfo,
        origin: Origin,
    ) -> Result<ProgramSnapshot, ClientError> {
        self.update_with(program, true, origin).await
    }

    async fn update_with(
        &self,
        program: ProgramInfo,
        dry_run: bool,
        origin: Origin,
    ) -> Result<ProgramSnapshot, ClientError> {
        self.call::<m::Update>(ProgramParams {
            program,
            adopt: None,
            dry_run,
            origin,
        })
        .await
    }

    /// `remove`: stops and removes it; with `keep_running`, stops protecting it only.
    pub async fn remove(
        &self,
        program: &ProgramId,
        keep_running: bool,
        origin: Origin,
    ) -> Result<Removed, ClientError> {
        let program = program.clone();
        self.call::<m::Remove>(RemoveParams {
            program,
            keep_running,
            origin,
        })
        .await
    }

    /// `start`.
    pub async fn start(
        &self,
        program: &ProgramId,
        origin: Origin,
    ) -> Result<ProgramSnapshot, ClientError> {
        self.call::<m::Start>(target(program, origin)).await
    }

    /// `stop`: returns once the program is down.
    pub async fn stop(
        &self,
        program: &ProgramId,
        origin: Origin,
    ) -> Result<ProgramSnapshot, ClientError> {
        self.call::<m::Stop>(target(program, origin)).await
    }

    /// `restart`.
    pub async fn restart(
        &self,
        program: &ProgramId,
        origin: Origin,
    ) -> Result<ProgramSnapshot, ClientError> {
        self.call::<m::Restart>(target(program, origin)).await
    }

    /// `retry`: starts a program that gave up.
    pub async fn retry(
        &self,
        program: &ProgramId,
        origin: Origin,
    ) -> Result<ProgramSnapshot, ClientError> {
        self.call::<m::Retry>(target(program, origin)).await
    }

    /// `pause`: one program (`Some`) or all (`None`), until `until` (ms since the epoch)
    /// or for `for_` (e.g. `"1h"`), or until resumed when both are `None`.
    pub async fn pause(
        &self,
        program: Option<&ProgramId>,
        until: Option<u64>,
        for_: Option<String>,
        origin: Origin,
    ) -> Result<Snapshot, ClientError> {
        let program = program.cloned();
        self.call::<m::Pause>(PauseParams {
            program,
            until,
            for_,
            origin,
        })
        .await
    }

    /// `resume`: one program (`Some`) or all (`None`).
    pub async fn resume(
        &self,
        program: Option<&ProgramId>,
        origin: Origin,
    ) -> Result<Snapshot, ClientError> {
        let program = program.cloned();
        self.call::<m::Resume>(ResumeParams { program, origin })
            .await
    }

    /// `history`: one page; pass the previous page's `next` in `params.after` for more.
    pub async fn history(&self, params: HistoryParams) -> Result<Page, ClientError> {
        self.call::<m::History>(params).await
    }

    /// `stats`: one program, or every configured program.
    pub async fn stats(&self, params: StatsParams) -> Result<Vec<ProgramStats>, ClientError> {
        self.call::<m::Stats>(params).await
    }

    /// `logs`: the last `lines` lines (see [`Client::logs_follow`] to follow).
    pub async fn logs(&self, program: &ProgramId, lines: usize) -> Result<LogLines, ClientError> {
        let program = program.clone();
        self.call::<m::Logs>(LogsParams {
            program,
            lines,
            follow: false,
        })
        .await
    }

    /// `config.get`: the settings in force.
    pub async fn config_get(&self) -> Result<ConfigView, ClientError> {
        self.call::<m::ConfigGet>(Empty {}).await
    }

    /// `config.set`: merges `settings` (a partial object) into the settings and saves.
    pub async fn config_set(
        &self,
        settings: serde_json::Value,
        origin: Origin,
    ) -> Result<ConfigView, ClientError> {
        self.call::<m::ConfigSet>(ConfigSetParams { settings, origin })
            .await
    }

    /// `shutdown`: the daemon exits, stopping the programs first if `stop_programs`.
    pub async fn shutdown(
        &self,
        stop_programs: bool,
        origin: Origin,
    ) -> Result<ShuttingDown, ClientError> {
        self.call::<m::Shutdown>(ShutdownParams {
            stop_programs,
            origin,
        })
        .await
    }
}

fn target(program: &ProgramId, origin: Origin) -> Target {
    Target {
        program: program.clone(),
        origin,
    }
}
