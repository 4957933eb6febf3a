//! The user's message locale and the order in which it picks a localized key
//! (`Name[de_AT]`, `Name[de]`, then `Name`), as the Desktop Entry Specification says.

/// A message locale, `lang_COUNTRY.ENCODING@MODIFIER` with the encoding dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale {
    lang: String,
    country: Option<String>,
    modifier: Option<String>,
}

impl Locale {
    /// Parses a POSIX locale name; `None` for the untranslated `C` and `POSIX` locales
    /// and for an empty value.
    pub fn parse(value: &str) -> Option<Locale> {
        let (rest, modifier) = match value.split_once('@') {
            Some((r, m)) => (r, Some(m.to_owned()).filter(|m| !m.is_empty())),
            None => (value, None),
        };
        let rest = rest.split('.').next().unwrap_or_default();
        let (lang, country) = match rest.split_once('_') {
            Some((l, c)) => (l, Some(c.to_owned()).filter(|c| !c.is_empty())),
            None => (rest, None),
        };
        if lang.is_empty() || lang == "C" || lang == "POSIX" {
            return None;
        }
        Some(Locale {
            lang: lang.to_owned(),
            country,
            modifier,
        })
    }

    /// The locale messages are shown in: the first set of `LC_ALL`, `LC_MESSAGES`, `LANG`.
    pub fn from_env() -> Option<Locale> {
        Self::from_vars(&|k| std::env::var(k).ok())
    }

    /// [`Locale::from_env`] from `var`, a lookup of environment variables.
    pub fn from_vars(var: &dyn Fn(&str) -> Option<String>) -> Option<Locale> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| var(k).filter(|v| !v.is_empty()))
            .and_then(|v| Locale::parse(&v))
    }

    /// The bracketed suffixes to try, best first: `lang_COUNTRY@MODIFIER`,
    /// `lang_COUNTRY`, `lang@MODIFIER`, `lang`.
    pub fn candidates(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(4);
        let lang = &self.lang;
        if let (Some(c), Some(m)) = (&self.country, &self.modifier) {
            out.push(format!("{lang}_{c}@{m}"));
        }
        if let Some(c) = &self.country {
            out.push(format!("{lang}_{c}"));
        }
        if let Some(m) = &self.modifier {
            out.push(format!("{lang}@{m}"));
        }
        out.push(lang.clone());
        out
    }
}
