// Realistic files a secret value leaks in: each context takes a variable name and a value
// and returns a whole file (path and text) with the ordinary lines around it that such a
// file has. Issue 7 lists the syntaxes: .env, YAML, JSON, TOML, INI, properties, XML,
// Python, JS/TS, Go, Java, C#, PHP, Ruby, shell, Dockerfile, Terraform, Kubernetes.

function words(name) {
  return name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean).map((w) => w.toLowerCase());
}
export const snake = (n) => words(n).join('_');
export const upper = (n) => snake(n).toUpperCase();
export const camel = (n) => words(n).map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
export const pascal = (n) => words(n).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
export const dotted = (n) => words(n).join('.');
export const kebab = (n) => words(n).join('-');

/** Contexts for a value assigned to a name. `standalone` ones suit values a rule finds without a name. */
export const CONTEXTS = [
  {
    name: 'env', path: (p) => `services/${p}/.env`,
    text: (n, v) => `# ${n} service\nNODE_ENV=production\nPORT=8080\n${upper(n)}=${v}\nLOG_LEVEL=info\n`,
  },
  {
    name: 'env-quoted', path: (p) => `.env.production`,
    text: (n, v) => `DATABASE_POOL=10\n${upper(n)}="${v}"\nFEATURE_FLAGS="search,billing"\n`,
  },
  {
    name: 'yaml', path: (p) => `config/${p}.yaml`,
    text: (n, v) => `server:\n  host: 0.0.0.0\n  port: 8443\nintegrations:\n  ${snake(n).split('_')[0]}:\n    enabled: true\n    ${snake(n)}: ${v}\n    timeout_seconds: 30\n`,
  },
  {
    name: 'yaml-compose', path: () => `docker-compose.yml`,
    text: (n, v) => `services:\n  api:\n    image: acme/api:1.4.2\n    environment:\n      - ${upper(n)}=${v}\n      - REDIS_HOST=redis\n    ports:\n      - "8080:8080"\n`,
  },
  {
    name: 'json', path: (p) => `config/${p}.json`,
    text: (n, v) => `{\n  "name": "billing-worker",\n  "retries": 3,\n  "${camel(n)}": "${v}",\n  "endpoints": ["https://api.acme.io/v1"]\n}\n`,
  },
  {
    name: 'appsettings', path: () => `src/Api/appsettings.Production.json`,
    text: (n, v) => `{\n  "Logging": { "LogLevel": { "Default": "Warning" } },\n  "Integrations": {\n    "${pascal(n)}": "${v}"\n  },\n  "AllowedHosts": "*"\n}\n`,
  },
  {
    name: 'toml', path: (p) => `config/${p}.toml`,
    text: (n, v) => `[server]\nbind = "0.0.0.0:8080"\n\n[integrations]\n${snake(n)} = "${v}"\nretries = 5\n`,
  },
  {
    name: 'ini', path: (p) => `deploy/${p}.ini`,
    text: (n, v) => `[default]\nregion = eu-west-1\n\n[integration]\n${snake(n)} = ${v}\noutput = json\n`,
  },
  {
    name: 'properties', path: () => `src/main/resources/application-prod.properties`,
    text: (n, v) => `server.port=8080\nspring.application.name=orders\n${dotted(n)}=${v}\nmanagement.endpoints.web.exposure.include=health\n`,
  },
  {
    name: 'xml', path: () => `config/web.config`,
    text: (n, v) => `<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <appSettings>\n    <add key="${pascal(n)}" value="${v}" />\n    <add key="Environment" value="Production" />\n  </appSettings>\n</configuration>\n`,
  },
  {
    name: 'xml-element', path: () => `conf/settings.xml`,
    text: (n, v) => `<settings>\n  <server>\n    <id>releases</id>\n    <${camel(n)}>${v}</${camel(n)}>\n  </server>\n</settings>\n`,
  },
  {
    name: 'python', path: (p) => `app/${snake(p)}_settings.py`,
    text: (n, v) => `import os\n\nDEBUG = False\nALLOWED_HOSTS = ["api.acme.io"]\n${upper(n)} = "${v}"\nTIMEOUT = int(os.environ.get("TIMEOUT", "30"))\n`,
  },
  {
    name: 'python-call', path: (p) => `scripts/sync_${snake(p)}.py`,
    text: (n, v) => `from client import Client\n\n\ndef main():\n    ${snake(n)} = '${v}'\n    client = Client(${snake(n)}=${snake(n)})\n    client.sync()\n`,
  },
  {
    name: 'js', path: (p) => `src/${kebab(p)}.js`,
    text: (n, v) => `'use strict';\n\nconst ${camel(n)} = '${v}';\n\nmodule.exports = function connect() {\n  return fetch('https://api.acme.io', { headers: { authorization: ${camel(n)} } });\n};\n`,
  },
  {
    name: 'ts', path: (p) => `src/config/${kebab(p)}.ts`,
    text: (n, v) => `export interface Settings {\n  region: string;\n}\n\nexport const settings = {\n  region: 'eu-west-1',\n  ${camel(n)}: "${v}",\n} as const;\n`,
  },
  {
    name: 'go', path: (p) => `internal/${snake(p)}/config.go`,
    text: (n, v) => `package config\n\nimport "os"\n\nconst ${camel(n)} = "${v}"\n\nfunc Region() string { return os.Getenv("AWS_REGION") }\n`,
  },
  {
    name: 'java', path: (p) => `src/main/java/com/acme/${pascal(p)}Config.java`,
    text: (n, v) => `package com.acme;\n\npublic final class ${pascal(n)}Config {\n    private static final String ${upper(n)} = "${v}";\n    private static final int TIMEOUT = 30;\n}\n`,
  },
  {
    name: 'csharp', path: (p) => `src/Acme/${pascal(p)}Client.cs`,
    text: (n, v) => `namespace Acme;\n\npublic class ${pascal(n)}Client\n{\n    private const string ${pascal(n)} = "${v}";\n    public int Retries { get; set; } = 3;\n}\n`,
  },
  {
    name: 'php', path: (p) => `config/${snake(p)}.php`,
    text: (n, v) => `<?php\n\nreturn [\n    'debug' => false,\n    '${snake(n)}' => '${v}',\n    'timeout' => 30,\n];\n`,
  },
  {
    name: 'ruby', path: (p) => `config/initializers/${snake(p)}.rb`,
    text: (n, v) => `# frozen_string_literal: true\n\nRails.application.configure do\n  config.x.${snake(n)} = "${v}"\nend\n`,
  },
  {
    name: 'shell', path: (p) => `scripts/deploy-${kebab(p)}.sh`,
    text: (n, v) => `#!/usr/bin/env bash\nset -euo pipefail\n\nexport ${upper(n)}="${v}"\n./bin/release --env production\n`,
  },
  {
    name: 'dockerfile', path: () => `Dockerfile`,
    text: (n, v) => `FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nENV ${upper(n)}=${v}\nRUN npm ci --omit=dev\nCMD ["node", "server.js"]\n`,
  },
  {
    name: 'terraform', path: (p) => `infra/${snake(p)}.tf`,
    text: (n, v) => `resource "aws_lambda_function" "worker" {\n  function_name = "worker"\n  runtime       = "nodejs20.x"\n\n  environment {\n    variables = {\n      ${upper(n)} = "${v}"\n    }\n  }\n}\n`,
  },
  {
    name: 'github-actions', path: () => `.github/workflows/deploy.yml`,
    text: (n, v) => `name: deploy\non: [push]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      ${upper(n)}: ${v}\n    steps:\n      - uses: actions/checkout@v4\n      - run: make deploy\n`,
  },
];

/** A Kubernetes Secret: values are base64 (issue 7, "Decoding"). */
export const K8S_SECRET = {
  name: 'k8s-secret', path: (p) => `k8s/${kebab(p)}-secret.yaml`,
  text: (key, encoded) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secrets\n  namespace: prod\ntype: Opaque\ndata:\n  ${key}: ${encoded}\n`,
};

/** Places a whole-line sample (a curl command, a URL, a header) is written in. */
export const LINE_CONTEXTS = [
  { name: 'shell-line', path: (p) => `scripts/${kebab(p)}.sh`, text: (line) => `#!/bin/sh\nset -e\n${line}\necho done\n` },
  { name: 'markdown', path: (p) => `docs/${kebab(p)}.md`, text: (line) => `# Deploying\n\nRun this once:\n\n\`\`\`\n${line}\n\`\`\`\n` },
  { name: 'conf', path: (p) => `etc/${kebab(p)}.conf`, text: (line) => `# managed by ops\n${line}\n` },
];
