//! Media the desk keeps (PRODUCT.md §11): the port to where the bytes live, and the guarded
//! download of a network's media. Bytes never live in the database; their rows do, and a file is
//! written before the row that points to it is committed.

mod downloads;
mod port;
mod serve;
mod source;
mod upload;

pub use downloads::{object_key, DownloadConfig, DownloadPass};
pub use port::{MediaError, MediaStore};
pub use serve::MediaFile;
pub use source::{FetchRequest, Fetched, MediaSource};
pub use upload::{Upload, MAX_UPLOAD_BYTES};
