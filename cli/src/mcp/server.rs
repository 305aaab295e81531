//! The MCP server handler: capabilities, the tool catalog and the bundle's resources.

use super::Context;
use super::tools;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, InitializeResult, ListResourcesResult,
    ListToolsResult, PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse,
    ReadResourceResult, ServerCapabilities,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler};
use std::sync::Arc;

const INSTRUCTIONS: &str = "Pacto service contracts (pacto.yaml bundles). Use pacto_schema to learn the format, \
pacto_create to start a bundle, pacto_edit to change it, pacto_check to validate it (follow its suggestions), \
pacto_diff to classify a change as breaking or not, and pacto_migrate to turn a 1.x bundle into 2.0. When started on a bundle, pacto_explain, \
pacto_interfaces and the pacto://bundle/ resources describe it. With --fleet, pacto_fleet_search, pacto_fleet_get, \
pacto_fleet_graph, pacto_fleet_status and pacto_impact answer about every service of the fleet.";

#[derive(Clone)]
pub struct PactoServer {
    ctx: Arc<Context>,
}

impl PactoServer {
    pub fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }
}

impl ServerHandler for PactoServer {
    fn get_info(&self) -> InitializeResult {
        let caps = ServerCapabilities::builder().enable_tools();
        let caps = if self.ctx.bundle.is_some() {
            caps.enable_resources().build()
        } else {
            caps.build()
        };
        InitializeResult::new(caps)
            .with_server_info(Implementation::new("pacto", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(tools::list(&self.ctx)))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let ctx = self.ctx.clone();
        let name = request.name.to_string();
        let args = request.arguments;
        // Tools read files and may pull from a registry (blocking): off the reactor.
        let shown = name.clone();
        let result = tokio::task::spawn_blocking(move || tools::call(&ctx, &name, args))
            .await
            .map_err(|e| McpError::internal_error(format!("tool {shown} failed: {e}"), None))?;
        match result {
            Some(r) => Ok(r.into()),
            None => Err(McpError::invalid_params(
                format!("unknown tool: {shown}"),
                None,
            )),
        }
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        let items = self
            .ctx
            .bundle
            .as_ref()
            .map(|b| b.list())
            .unwrap_or_default();
        Ok(ListResourcesResult::with_all_items(items))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        let found = self.ctx.bundle.as_ref().and_then(|b| b.read(&request.uri));
        match found {
            Some(c) => Ok(ReadResourceResult::new(vec![c]).into()),
            None => Err(McpError::resource_not_found(
                format!("no resource {}", request.uri),
                None,
            )),
        }
    }
}
