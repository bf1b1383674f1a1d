//! Parse errors: where (file:line:column) and what (expected vs found).

use std::fmt;

/// A position in a scene or include file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Location {
    /// File name as it was opened (or as given for in-memory sources).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Everything that can stop a parse.
#[derive(Debug, thiserror::Error)]
pub enum SdlError {
    /// A syntax or evaluation error at a known place.
    #[error("{location}: {message}")]
    At {
        /// Where it happened.
        location: Location,
        /// What went wrong, e.g. "expected '}' but found 'sphere'".
        message: String,
    },
    /// The main scene file could not be read.
    #[error("cannot read scene file '{path}': {source}")]
    Io {
        /// The path given.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl SdlError {
    /// An error at `location`.
    pub fn at(location: Location, message: impl Into<String>) -> Self {
        SdlError::At {
            location,
            message: message.into(),
        }
    }

    /// The location, if the error has one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            SdlError::At { location, .. } => Some(location),
            SdlError::Io { .. } => None,
        }
    }
}

/// Result of parsing.
pub type Result<T> = std::result::Result<T, SdlError>;
