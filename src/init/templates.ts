/**
 * The files `recon init` writes. The recon.yaml teaches the format by example: the bundled Acme
 * ERP sandbox is the working target, the other shapes are commented out next to it.
 */

export const RECON_YAML = `# recon.yaml: what recon may call, how, and how much.
# Format: recon's specs/recon-config.schema.json (unknown keys are errors, so typos are caught).
#
# SECRETS ARE NEVER WRITTEN HERE: this file is committed. Reference them instead:
#   \${env:NAME}          the environment variable NAME
#   \${file:./path}       a file, relative to this one (secrets/ is git-ignored)
# clientSecret, password, token, an apiKey's value, privateKey, tls.key and tls.passphrase
# must be references; any other string may use them too. Inside { } or [ ], quote them:
#   tls: { ca: "\${file:./certs/ca.pem}" }
# Write $\${ for a literal \${.
version: 1

# Where probe recordings (HAR files) go: fixtures/<target>/<timestamp>.har
recordings: fixtures

targets:
  # The bundled Acme ERP vendor emulator. Start it with 'recon sandbox' (port 4010), then:
  #   export ACME_CLIENT_SECRET=acme-demo-secret
  #   recon probe
  sandbox:
    baseUrl: http://127.0.0.1:4010/api/v1
    # The vendor's API document (a file relative to this one, or a URL).
    spec: specs/acme-erp.openapi.yaml
    auth:
      # none | apiKey | basic | bearer | oauth2-client-credentials | jwt-bearer
      type: oauth2-client-credentials
      tokenUrl: http://127.0.0.1:4010/oauth/token
      clientId: acme-demo
      clientSecret: \${env:ACME_CLIENT_SECRET}
      scope: erp.read erp.write
      # client_secret_basic (Authorization header, the default) or client_secret_post (form body)
      authMethod: client_secret_basic
    # Explicit write calls (probe.calls) and idempotency checks run only when true.
    writes: false
    budget: 200               # most requests one probe may make
    concurrency: 2            # requests in flight at once
    rateLimit: 5              # most requests per second recon sends
    timeoutSeconds: 30        # per call
    maxResponseBytes: 10485760  # larger bodies are counted and cut
    headers:                  # sent on every call
      X-Tenant: demo

  # A test environment behind an API key and a private CA:
  # test:
  #   baseUrl: https://test.erp.example.com/api/v2
  #   spec: specs/vendor-openapi.json
  #   auth:
  #     type: apiKey
  #     in: header               # or query
  #     name: X-Api-Key
  #     value: \${env:ERP_TEST_API_KEY}
  #   tls:
  #     ca: \${file:./certs/vendor-ca.pem}

  # Production with Maskinporten (JWT bearer, RFC 7523) and mutual TLS. Keep budget small.
  # production:
  #   baseUrl: https://api.erp.example.com/v2
  #   spec: https://api.erp.example.com/openapi.json
  #   auth:
  #     type: jwt-bearer
  #     tokenUrl: https://maskinporten.no/token
  #     issuer: 00000000-0000-0000-0000-000000000000   # your client id
  #     audience: https://maskinporten.no/
  #     scope: vendor:erp.read
  #     privateKey: \${file:./secrets/business-cert.key}
  #     certificate: \${file:./certs/business-cert.pem}
  #     lifetimeSeconds: 120
  #   tls:
  #     cert: \${file:./certs/client.pem}
  #     key: \${file:./secrets/client.key}
  #     passphrase: \${env:ERP_CLIENT_KEY_PASSPHRASE}
  #     rejectUnauthorized: true
  #   budget: 50
  #   rateLimit: 1
  # Other auth shapes:
  #   auth: { type: basic, username: integration, password: "\${env:ERP_PASSWORD}" }
  #   auth: { type: bearer, token: "\${env:ERP_TOKEN}" }

# The probe plan. Without it recon calls every safe (GET) operation once it can fill in the
# path parameters; these values fill them in.
probe:
  # Parameter values by name, for every operation that has such a parameter.
  parameters: {}                     # e.g. { companySlug: demo, fiscalYear: 2026 }
  # Per operation (operationId or "METHOD /path"): parameter values, or skip with a reason.
  operations:
    getCustomer: { parameters: { customerId: 10001 } }
    getProduct: { parameters: { productId: 5001 } }
    getOrder: { parameters: { orderId: 70001 } }
    # "GET /reports/yearly": { skip: "takes minutes on the vendor" }
  # Explicit calls; writes run only on targets with writes: true.
  calls:
    - operation: createOrder
      bodyFile: fixtures/bodies/order.json   # or inline: body: { customerId: 10001, items: [...] }
      idempotencyCheck: true                 # send twice with one Idempotency-Key and compare
    - operation: createInvoice
      bodyFile: fixtures/bodies/invoice.json
      idempotencyCheck: true                 # the document promises Idempotency-Key here too
  maxPages: 3                        # pages followed per list operation
  idempotencyHeader: Idempotency-Key

# Redacted in every recording, report and log, on top of credentials, tokens, cookies and
# national identity numbers.
redaction:
  headers: [X-Tenant-Secret]
  queryParams: []
  jsonPaths: [customer.ssn, "**.iban"]
`;

export const ORDER_BODY = `${JSON.stringify({ customerId: 10001, items: [{ productId: 5001, quantity: 3 }] }, null, 2)}\n`;

/** Lines the workspace's .gitignore must hold (merged into an existing one). */
export const INVOICE_BODY = `${JSON.stringify(
  { customerId: 10001, dueDate: '2026-02-01', lines: [{ lineType: 'product', productId: 5001, quantity: 2, unitPrice: 1499, vatRate: 25, lineTotal: 2998 }] },
  null,
  2,
)}\n`;

export const GITIGNORE_LINES = ['.recon/', 'secrets/', '*.pem', '*.key', '.env'];

/** secrets/ ignores everything in it but this file, even where the root .gitignore is lost. */
export const SECRETS_GITIGNORE = '*\n!.gitignore\n';

export const README = `# API review workspace

Made by \`recon init\`. What is where:

| path | what |
| --- | --- |
| \`recon.yaml\` | targets (base URL, auth, TLS, budgets), the probe plan, redaction |
| \`specs/\` | the vendor's API documents |
| \`fixtures/\` | probe recordings (HAR) and request bodies |
| \`review/\` | findings, overlays and the integration spec |
| \`secrets/\` | key files referenced as \`\${file:./secrets/…}\`; never committed |

## Next steps

1. Try it on the bundled Acme ERP sandbox:

   \`\`\`sh
   recon sandbox &                          # the vendor emulator on port 4010
   export ACME_CLIENT_SECRET=acme-demo-secret
   recon spec specs/acme-erp.openapi.yaml   # what the document promises
   recon probe                              # what the API does
   \`\`\`

2. Put your vendor's API document into \`specs/\` and add a target for it to \`recon.yaml\`
   (examples for API keys, Maskinporten and mutual TLS are commented out there).
3. Export the credentials as environment variables, or save key files into \`secrets/\`;
   never write a secret into \`recon.yaml\`.
`;
