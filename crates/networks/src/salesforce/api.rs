//! The port's calls on the wire: the token request (refresh-token or client-credentials grant,
//! form-encoded), the SOQL searches and their `nextRecordsUrl` pages, a record's `Name`, and
//! Case create, update and read-back. Ids are checked before they reach a URL or a query; a call
//! that would carry a malformed one is refused without being made.

use std::collections::HashSet;

use async_trait::async_trait;
use caredesk_app::salesforce::{
    ApiUsage, CaseState, Credentials, FoundPage, NewSalesforceCase, SalesforceApi, SalesforceError,
    SearchObject, Session,
};
use reqwest::header::ACCEPT;
use reqwest::Url;
use serde_json::{Map, Value};

use super::answer::{self, Answer};
use super::soql::{self, is_next_records_path, is_salesforce_id, object_name};
use super::{not_sent, redacted, SalesforceClient};

/// How many Case ids one read-back query names (the URL stays well under Salesforce's limit).
pub const CASE_IDS_PER_QUERY: usize = 200;

/// `id` when it looks like a Salesforce id; a refusal naming `what` otherwise.
fn checked_id<'a>(what: &str, id: &'a str) -> Result<&'a str, SalesforceError> {
    if is_salesforce_id(id) {
        Ok(id)
    } else {
        Err(not_sent(
            "MALFORMED_ID",
            &format!("{what} {id:?} is not a Salesforce id (15 or 18 letters and digits)"),
        ))
    }
}

/// The error a failed answer stands for, else what `parse` reads from the success.
fn success<T>(
    answer: &Answer<'_>,
    wanted: &str,
    parse: impl FnOnce(&Answer<'_>) -> Option<T>,
) -> Result<T, SalesforceError> {
    match answer::failure(answer) {
        Some(error) => Err(error),
        None => parse(answer).ok_or_else(|| answer.unexpected(wanted)),
    }
}

impl SalesforceClient {
    async fn query<T>(
        &self,
        session: &Session,
        url: Url,
        wanted: &str,
        parse: impl FnOnce(&Answer<'_>) -> Option<T>,
    ) -> Result<T, SalesforceError> {
        let request = self.http.get(url).bearer_auth(&session.access_token);
        self.exchange(request, |a| success(a, wanted, parse))
            .await
            .map_err(|e| redacted(e, &[&session.access_token]))
    }

    fn soql_url(&self, session: &Session, query: &str) -> Result<Url, SalesforceError> {
        soql::query_url(&self.data_base(session)?, query)
            .ok_or_else(|| not_sent("INVALID_URL", "the query URL could not be built"))
    }
}

#[async_trait]
impl SalesforceApi for SalesforceClient {
    async fn token(&self, credentials: &Credentials) -> Result<Session, SalesforceError> {
        let login = credentials.login_url.trim().trim_end_matches('/');
        let url = Url::parse(&format!("{login}/services/oauth2/token"))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                not_sent(
                    "INVALID_URL",
                    &format!("{:?} is not an http(s) login URL", credentials.login_url),
                )
            })?;
        let mut form: Vec<(&str, &str)> = match &credentials.refresh_token {
            Some(refresh) => vec![("grant_type", "refresh_token"), ("refresh_token", refresh)],
            None => vec![("grant_type", "client_credentials")],
        };
        form.push(("client_id", &credentials.client_id));
        form.push(("client_secret", &credentials.client_secret));
        let request = self
            .http
            .post(url)
            .header(ACCEPT, "application/json")
            .form(&form);
        let secrets = [
            credentials.client_secret.as_str(),
            credentials.refresh_token.as_deref().unwrap_or_default(),
        ];
        self.exchange(request, answer::token_session)
            .await
            .map_err(|e| redacted(e, &secrets))
    }

    async fn search(
        &self,
        session: &Session,
        object: SearchObject,
        name: &str,
        page: Option<&str>,
    ) -> Result<FoundPage, SalesforceError> {
        let url = match page {
            Some(path) if is_next_records_path(path) => {
                self.data_base(session)?.join(path).map_err(|_| {
                    not_sent("INVALID_URL", &format!("{path:?} is not a nextRecordsUrl"))
                })?
            }
            Some(path) => {
                return Err(not_sent(
                    "INVALID_URL",
                    &format!("{path:?} is not a nextRecordsUrl"),
                ))
            }
            None => self.soql_url(session, &soql::search_soql(object, name))?,
        };
        self.query(session, url, "the records", answer::found_page)
            .await
    }

    async fn record_name(
        &self,
        session: &Session,
        object: SearchObject,
        id: &str,
    ) -> Result<Option<String>, SalesforceError> {
        let object = object_name(object);
        let id = checked_id(&format!("the {object} id"), id)?;
        let mut url = self.data_url(session, &format!("sobjects/{object}/{id}"))?;
        url.query_pairs_mut().append_pair("fields", "Name");
        let request = self.http.get(url).bearer_auth(&session.access_token);
        self.exchange(request, |a| {
            if a.status == 404 {
                return Ok(None);
            }
            success(a, "the record's Name", |a| answer::text_field(a, "Name")).map(Some)
        })
        .await
        .map_err(|e| redacted(e, &[&session.access_token]))
    }

    async fn create_case(
        &self,
        session: &Session,
        case: &NewSalesforceCase,
    ) -> Result<String, SalesforceError> {
        let account = case.account_id.as_deref();
        let contact = case.contact_id.as_deref();
        if let Some(id) = account {
            checked_id("the Account id", id)?;
        }
        if let Some(id) = contact {
            checked_id("the Contact id", id)?;
        }
        let mut body = Map::new();
        let fields = [
            ("Subject", Some(case.subject.as_str())),
            ("Description", Some(case.description.as_str())),
            ("Origin", Some(case.origin.as_str())),
            ("Status", Some(case.status.as_str())),
            ("Priority", Some(case.priority.as_str())),
            ("AccountId", account),
            ("ContactId", contact),
            ("SuppliedName", case.supplied_name.as_deref()),
            ("SuppliedEmail", case.supplied_email.as_deref()),
        ];
        for (name, value) in fields {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                body.insert(name.into(), Value::String(value.to_owned()));
            }
        }
        let url = self.data_url(session, "sobjects/Case")?;
        let request = self
            .http
            .post(url)
            .bearer_auth(&session.access_token)
            .json(&Value::Object(body));
        self.exchange(request, |a| {
            success(a, "the new Case's id", |a| answer::text_field(a, "id"))
        })
        .await
        .map_err(|e| redacted(e, &[&session.access_token]))
    }

    async fn update_case(
        &self,
        session: &Session,
        id: &str,
        status: &str,
        priority: &str,
    ) -> Result<(), SalesforceError> {
        let id = checked_id("the Case id", id)?;
        let mut body = Map::new();
        for (name, value) in [("Status", status), ("Priority", priority)] {
            if !value.trim().is_empty() {
                body.insert(name.into(), Value::String(value.to_owned()));
            }
        }
        if body.is_empty() {
            return Ok(());
        }
        let url = self.data_url(session, &format!("sobjects/Case/{id}"))?;
        let request = self
            .http
            .patch(url)
            .bearer_auth(&session.access_token)
            .json(&Value::Object(body));
        self.exchange(request, |a| success(a, "", |_| Some(())))
            .await
            .map_err(|e| redacted(e, &[&session.access_token]))
    }

    async fn cases(
        &self,
        session: &Session,
        ids: &[String],
    ) -> Result<Vec<CaseState>, SalesforceError> {
        let mut seen = HashSet::with_capacity(ids.len());
        let mut unique: Vec<&str> = Vec::with_capacity(ids.len());
        for id in ids {
            let id = checked_id("the Case id", id)?;
            if seen.insert(id) {
                unique.push(id);
            }
        }
        let mut states = Vec::with_capacity(unique.len());
        for chunk in unique.chunks(CASE_IDS_PER_QUERY) {
            let url = self.soql_url(session, &soql::cases_soql(chunk))?;
            let page = self
                .query(session, url, "the Cases", answer::case_states)
                .await?;
            states.extend(page);
        }
        Ok(states)
    }

    fn usage(&self) -> Option<ApiUsage> {
        self.latest_usage()
    }
}
