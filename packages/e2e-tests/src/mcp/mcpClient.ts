// A real MCP client (@modelcontextprotocol/sdk) over Streamable HTTP against
// the backend's MCP server, authenticated with a user's Backstage token.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface ToolResult {
  isError: boolean;
  /** The action's output when it succeeded. */
  output: any;
  /** The text the server answered, e.g. "InputError: gpus[0].count: …". */
  text: string;
}

export interface PortalMcpClient {
  client: Client;
  call(tool: string, args: Record<string, unknown>): Promise<ToolResult>;
  close(): Promise<void>;
}

/** Connects to `/api/mcp-actions/v1` as the owner of `token`. */
export async function connectMcp(
  baseUrl: string,
  token: string,
): Promise<PortalMcpClient> {
  const transport = new StreamableHTTPClientTransport(
    new URL(`${baseUrl}/api/mcp-actions/v1`),
    { requestInit: { headers: { Authorization: `Bearer ${token}` } } },
  );
  const client = new Client({ name: 'portal-e2e', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    async call(tool, args) {
      const result: any = await client.callTool(
        { name: `portal-actions.${tool}`, arguments: args },
        undefined,
        { timeout: 60_000 },
      );
      const text = (result.content ?? [])
        .map((c: any) => (c.type === 'text' ? c.text : ''))
        .join('\n');
      return {
        isError: Boolean(result.isError),
        output: result.structuredContent,
        text,
      };
    },
    close: () => client.close(),
  };
}

/** The audit events of the backend log (JSON lines with isAuditEvent). */
export function auditEvents(output: string): any[] {
  const events: any[] = [];
  for (const line of output.split('\n')) {
    const start = line.indexOf('{');
    if (start < 0 || !line.includes('isAuditEvent')) continue;
    try {
      events.push(JSON.parse(line.slice(start)));
    } catch {
      // not a JSON line
    }
  }
  return events;
}
