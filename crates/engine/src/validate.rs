//! Checking a [`ProgramSpec`] before it is run: every error names the field and the fix.

use std::time::Duration;

use crate::{ProgramId, ProgramSpec, SpecError};

/// The shortest `backoff.min_uptime`: below it, a program that crashes at once (a fork,
/// an exec and an exit take about a millisecond) could pass for one that ran.
const MIN_UPTIME_FLOOR: Duration = Duration::from_millis(100);

impl ProgramSpec {
    /// Validates `id` and builds a spec with defaults for everything else.
    ///
    /// ```
    /// let spec = lifeguard_engine::ProgramSpec::build("clock", ["sleep", "1000"]).unwrap();
    /// assert_eq!(spec.display_name(), "clock");
    /// let err = lifeguard_engine::ProgramSpec::build("clock", Vec::<String>::new()).unwrap_err();
    /// assert_eq!(err.to_string(), "argv: must not be empty — give the program to run, then its arguments");
    /// ```
    pub fn build(
        id: &str,
        argv: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<Self, SpecError> {
        let spec = ProgramSpec::new(ProgramId::new(id)?, argv);
        spec.validate()?;
        Ok(spec)
    }

    /// Checks every field; the first problem found is returned.
    pub fn validate(&self) -> Result<(), SpecError> {
        let Some(program) = self.argv.first() else {
            return Err(SpecError::new(
                "argv",
                "must not be empty",
                "give the program to run, then its arguments",
            ));
        };
        if program.is_empty() {
            return Err(SpecError::new(
                "argv[0]",
                "is empty",
                "give the program's path or name",
            ));
        }
        if let Some(i) = self.argv.iter().position(|a| a.contains('\0')) {
            return Err(SpecError::new(
                format!("argv[{i}]"),
                "contains a NUL byte",
                "remove it: arguments are C strings",
            ));
        }
        for (key, value) in &self.env {
            if key.is_empty() || key.contains(['=', '\0']) || value.contains('\0') {
                return Err(SpecError::new(
                    format!("env.{key}"),
                    "is not a valid environment variable",
                    "use a non-empty name without '=' or NUL, and a value without NUL",
                ));
            }
        }
        if let crate::RestartPolicy::OnFailure { clean_exit_codes } = &self.restart {
            if let Some(code) = clean_exit_codes.iter().find(|c| !(0..=255).contains(*c)) {
                return Err(SpecError::new(
                    "restart.clean_exit_codes",
                    format!("{code} is not an exit code"),
                    "use codes from 0 to 255",
                ));
            }
        }
        crate::hooks::validate(self)?;
        crate::talk_spec::validate(self)?;
        if let Some(limit) = &self.memory_limit {
            limit.validate()?;
        }
        if let Some(health) = &self.health {
            health.validate()?;
        }
        self.validate_timing()
    }

    fn validate_timing(&self) -> Result<(), SpecError> {
        // Ranges first: a typo'd huge value is named as such, not as a side effect.
        self.validate_ranges()?;
        let b = &self.backoff;
        if b.initial.is_zero() {
            return Err(SpecError::new(
                "backoff.initial",
                "must be more than zero",
                "use e.g. \"250ms\": quick deaths must never restart hot",
            ));
        }
        if b.max < b.initial {
            return Err(SpecError::new(
                "backoff.max",
                "is smaller than backoff.initial",
                "make max at least as long as initial",
            ));
        }
        if b.min_uptime < MIN_UPTIME_FLOOR || b.min_uptime > Duration::from_secs(3600) {
            return Err(SpecError::new(
                "backoff.min_uptime",
                "must be from 100ms to 1h",
                "use e.g. \"1s\" (the default): shorter lets a program that crashes at once \
                 restart hot forever, longer treats a person's kills as a crash loop",
            ));
        }
        if !(0.0..=1.0).contains(&b.jitter) {
            return Err(SpecError::new(
                "backoff.jitter",
                "is outside 0.0–1.0",
                "use e.g. 0.1",
            ));
        }
        let br = &self.breaker;
        if br.enabled && (br.max_deaths == 0 || br.window.is_zero()) {
            return Err(SpecError::new(
                "breaker",
                "max_deaths and window must be more than zero",
                "use e.g. max_deaths = 5, window = \"2m\", or set enabled = false",
            ));
        }
        if self.stop_grace > Duration::from_secs(3600) {
            return Err(SpecError::new(
                "stop_grace",
                "is over an hour",
                "use e.g. \"5s\"",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RestartPolicy;

    fn spec() -> ProgramSpec {
        ProgramSpec::build("x", ["true"]).unwrap()
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut cases: Vec<(ProgramSpec, &str)> = Vec::new();
        let mut s = spec();
        s.argv.clear();
        cases.push((s, "argv"));
        let mut s = spec();
        s.argv = vec![String::new()];
        cases.push((s, "argv[0]"));
        let mut s = spec();
        s.env.insert("A=B".into(), "x".into());
        cases.push((s, "env.A=B"));
        let mut s = spec();
        s.backoff.initial = Duration::ZERO;
        cases.push((s, "backoff.initial"));
        let mut s = spec();
        s.backoff.max = Duration::from_millis(1);
        cases.push((s, "backoff.max"));
        let mut s = spec();
        s.backoff.min_uptime = Duration::ZERO;
        cases.push((s, "backoff.min_uptime"));
        let mut s = spec();
        s.backoff.min_uptime = Duration::from_secs(7200);
        cases.push((s, "backoff.min_uptime"));
        let mut s = spec();
        s.backoff.jitter = 2.0;
        cases.push((s, "backoff.jitter"));
        let mut s = spec();
        s.breaker.max_deaths = 0;
        cases.push((s, "breaker"));
        let mut s = spec();
        s.restart = RestartPolicy::OnFailure {
            clean_exit_codes: vec![300],
        };
        cases.push((s, "restart.clean_exit_codes"));
        for (s, field) in cases {
            assert_eq!(s.validate().unwrap_err().field, field);
        }
        spec().validate().unwrap();
    }

    #[test]
    fn deserializes_with_defaults_and_rejects_unknown_fields() {
        let s: ProgramSpec = serde_json::from_str(
            r#"{"id":"a","argv":["sleep","1"],"backoff":{"initial":"100ms"},
                "restart":{"policy":"always"},"stop_signal":"SIGINT","stop_grace":"2s"}"#,
        )
        .unwrap();
        assert_eq!(s.backoff.initial, Duration::from_millis(100));
        assert_eq!(s.backoff.max, Duration::from_secs(30));
        assert_eq!(s.restart, RestartPolicy::Always);
        assert_eq!(s.stop_signal, crate::Signal::INT);
        let back: ProgramSpec = serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        let err = serde_json::from_str::<ProgramSpec>(r#"{"id":"a","argv":["x"],"argvv":[]}"#);
        assert!(err
            .unwrap_err()
            .to_string()
            .contains("unknown field `argvv`"));
        let err = serde_json::from_str::<ProgramSpec>(r#"{"id":"A","argv":["x"]}"#);
        assert!(err.unwrap_err().to_string().contains("id: "));
        let d: ProgramSpec = serde_json::from_str(r#"{"id":"a","argv":["x"]}"#).unwrap();
        assert_eq!(
            d.restart,
            RestartPolicy::OnFailure {
                clean_exit_codes: vec![0]
            }
        );
    }
}

#[cfg(all(test, feature = "schemars"))]
mod schema_tests {
    #[test]
    fn json_schema_covers_the_spec() {
        let schema = schemars::schema_for!(crate::ProgramSpec);
        let text = serde_json::to_string(&schema).unwrap();
        for field in [
            "argv",
            "stop_grace",
            "clean_exit_codes",
            "max_deaths",
            "min_uptime",
        ] {
            assert!(text.contains(field), "{field} missing from the schema");
        }
    }
}
