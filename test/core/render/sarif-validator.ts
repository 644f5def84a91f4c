// A compact structural validator for the part of SARIF 2.1.0 that Airlock writes and that
// GitHub code scanning reads. It follows the OASIS schema (required properties, enums,
// minimums, and additionalProperties: false on every object) plus GitHub's upload limits.
// No schema file ships in node_modules and tests run offline, hence this hand-written one.

type Json = unknown;

const KEYS: Record<string, string[]> = {
  log: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'],
  run: [
    'tool', 'invocations', 'conversion', 'language', 'versionControlProvenance', 'originalUriBaseIds',
    'artifacts', 'logicalLocations', 'graphs', 'results', 'automationDetails', 'runAggregates',
    'baselineGuid', 'redactionTokens', 'defaultEncoding', 'defaultSourceLanguage', 'newlineSequences',
    'columnKind', 'externalPropertyFileReferences', 'threadFlowLocations', 'taxonomies', 'addresses',
    'translations', 'policies', 'webRequests', 'webResponses', 'specialLocations', 'properties',
  ],
  tool: ['driver', 'extensions', 'properties'],
  toolComponent: [
    'guid', 'name', 'organization', 'product', 'productSuite', 'shortDescription', 'fullDescription',
    'fullName', 'version', 'semanticVersion', 'dottedQuadFileVersion', 'releaseDateUtc', 'downloadUri',
    'informationUri', 'globalMessageStrings', 'notifications', 'rules', 'taxa', 'locations', 'language',
    'contents', 'isComprehensive', 'localizedDataSemanticVersion', 'minimumRequiredLocalizedDataSemanticVersion',
    'associatedComponent', 'translationMetadata', 'supportedTaxonomies', 'properties',
  ],
  reportingDescriptor: [
    'id', 'deprecatedIds', 'guid', 'deprecatedGuids', 'name', 'deprecatedNames', 'shortDescription',
    'fullDescription', 'messageStrings', 'defaultConfiguration', 'helpUri', 'help', 'relationships', 'properties',
  ],
  multiformatMessageString: ['text', 'markdown', 'properties'],
  reportingConfiguration: ['enabled', 'level', 'rank', 'parameters', 'properties'],
  result: [
    'ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'analysisTarget', 'locations', 'guid',
    'correlationGuid', 'occurrenceCount', 'partialFingerprints', 'fingerprints', 'stacks', 'codeFlows',
    'graphs', 'graphTraversals', 'relatedLocations', 'suppressions', 'baselineState', 'rank', 'attachments',
    'hostedViewerUri', 'workItemUris', 'provenance', 'fixes', 'taxa', 'webRequest', 'webResponse', 'properties',
  ],
  message: ['text', 'markdown', 'id', 'arguments', 'properties'],
  location: ['id', 'physicalLocation', 'logicalLocations', 'message', 'annotations', 'relationships', 'properties'],
  physicalLocation: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'],
  artifactLocation: ['uri', 'uriBaseId', 'index', 'description', 'properties'],
  region: [
    'startLine', 'startColumn', 'endLine', 'endColumn', 'charOffset', 'charLength', 'byteOffset',
    'byteLength', 'snippet', 'message', 'sourceLanguage', 'properties',
  ],
  artifactContent: ['text', 'binary', 'rendered', 'properties'],
  suppression: ['guid', 'kind', 'status', 'justification', 'location', 'properties'],
  invocation: [
    'commandLine', 'arguments', 'responseFiles', 'startTimeUtc', 'endTimeUtc', 'exitCode',
    'ruleConfigurationOverrides', 'notificationConfigurationOverrides', 'toolExecutionNotifications',
    'toolConfigurationNotifications', 'exitCodeDescription', 'exitSignalName', 'exitSignalNumber',
    'processStartFailureMessage', 'executionSuccessful', 'machine', 'account', 'processId',
    'executableLocation', 'workingDirectory', 'environmentVariables', 'stdin', 'stdout', 'stderr',
    'stdoutStderr', 'properties',
  ],
  notification: [
    'locations', 'message', 'level', 'threadId', 'timeUtc', 'exception', 'descriptor', 'associatedRule', 'properties',
  ],
  reportingDescriptorReference: ['id', 'index', 'guid', 'toolComponent', 'properties'],
};

const LEVELS = ['none', 'note', 'warning', 'error'];
const KINDS = ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'];

/** GitHub code scanning's hard limits on an upload. */
export const GITHUB_LIMITS = { runs: 20, resultsPerRun: 25_000, rulesPerRun: 25_000, tagsPerRule: 20, locationsPerResult: 1_000 };

class Checker {
  readonly errors: string[] = [];

  fail(where: string, what: string): void {
    this.errors.push(`${where}: ${what}`);
  }

  object(v: Json, where: string, kind: keyof typeof KEYS, required: string[] = []): v is Record<string, Json> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.fail(where, `expected ${kind} object`);
      return false;
    }
    const allowed = new Set(KEYS[kind]);
    for (const key of Object.keys(v)) if (!allowed.has(key)) this.fail(where, `unknown property "${key}" in ${kind}`);
    for (const key of required) if (!(key in v)) this.fail(where, `missing required "${key}"`);
    if ('properties' in v) this.propertyBag((v as Record<string, Json>).properties, `${where}.properties`);
    return true;
  }

  string(v: Json, where: string): v is string {
    if (typeof v !== 'string') {
      this.fail(where, 'expected string');
      return false;
    }
    return true;
  }

  int(v: Json, where: string, min: number): void {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(where, `expected integer >= ${min}`);
  }

  array(v: Json, where: string): v is Json[] {
    if (!Array.isArray(v)) {
      this.fail(where, 'expected array');
      return false;
    }
    return true;
  }

  oneOf(v: Json, where: string, values: string[]): void {
    if (typeof v !== 'string' || !values.includes(v)) this.fail(where, `expected one of ${values.join('|')}`);
  }

  propertyBag(v: Json, where: string): void {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.fail(where, 'expected property bag');
    const tags = (v as Record<string, Json>).tags;
    if (tags === undefined) return;
    if (!this.array(tags, `${where}.tags`)) return;
    if (new Set(tags).size !== tags.length) this.fail(`${where}.tags`, 'tags must be unique');
    tags.forEach((t, i) => this.string(t, `${where}.tags[${i}]`));
  }

  message(v: Json, where: string, kind: 'message' | 'multiformatMessageString' = 'message'): void {
    if (!this.object(v, where, kind, kind === 'message' ? [] : ['text'])) return;
    if (kind === 'message' && !('text' in v) && !('id' in v)) this.fail(where, 'message needs text or id');
    if ('text' in v) this.string(v.text, `${where}.text`);
    if ('markdown' in v) this.string(v.markdown, `${where}.markdown`);
  }

  uri(v: Json, where: string, relative: boolean): void {
    if (!this.string(v, where)) return;
    // uri-reference: no spaces, controls or characters outside RFC 3986 except %-escapes.
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      const ok = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]/.test(c) || (c === '%' && /^[0-9A-Fa-f]{2}$/.test(v.slice(i + 1, i + 3)));
      if (!ok) return this.fail(where, `character ${JSON.stringify(c)} not allowed in a URI`);
    }
    if (relative && (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(v) || v.startsWith('/'))) {
      this.fail(where, 'expected a path relative to the source root');
    }
  }

  artifactLocation(v: Json, where: string): void {
    if (!this.object(v, where, 'artifactLocation')) return;
    if ('uri' in v) this.uri(v.uri, `${where}.uri`, v.uriBaseId !== undefined);
    if ('uriBaseId' in v) this.string(v.uriBaseId, `${where}.uriBaseId`);
  }

  region(v: Json, where: string): void {
    if (!this.object(v, where, 'region')) return;
    if (!('startLine' in v)) this.fail(where, 'GitHub needs region.startLine');
    else this.int(v.startLine, `${where}.startLine`, 1);
    if ('startColumn' in v) this.int(v.startColumn, `${where}.startColumn`, 1);
    if ('endLine' in v) {
      this.int(v.endLine, `${where}.endLine`, 1);
      if (typeof v.endLine === 'number' && typeof v.startLine === 'number' && v.endLine < v.startLine) {
        this.fail(where, 'endLine before startLine');
      }
    }
    if ('snippet' in v && this.object(v.snippet, `${where}.snippet`, 'artifactContent')) {
      if ('text' in v.snippet) this.string(v.snippet.text, `${where}.snippet.text`);
    }
  }

  location(v: Json, where: string, needRegion: boolean): void {
    if (!this.object(v, where, 'location')) return;
    if (!('physicalLocation' in v)) return this.fail(where, 'GitHub needs physicalLocation');
    const pl = v.physicalLocation;
    if (!this.object(pl, `${where}.physicalLocation`, 'physicalLocation', ['artifactLocation'])) return;
    this.artifactLocation(pl.artifactLocation, `${where}.physicalLocation.artifactLocation`);
    if ('region' in pl) this.region(pl.region, `${where}.physicalLocation.region`);
    else if (needRegion) this.fail(`${where}.physicalLocation`, 'GitHub needs a region');
  }

  rule(v: Json, where: string): void {
    if (!this.object(v, where, 'reportingDescriptor', ['id'])) return;
    this.string(v.id, `${where}.id`);
    if ('name' in v) this.string(v.name, `${where}.name`);
    for (const key of ['shortDescription', 'fullDescription', 'help'] as const) {
      if (key in v) this.message(v[key], `${where}.${key}`, 'multiformatMessageString');
    }
    if ('helpUri' in v) this.uri(v.helpUri, `${where}.helpUri`, false);
    if ('defaultConfiguration' in v && this.object(v.defaultConfiguration, `${where}.defaultConfiguration`, 'reportingConfiguration')) {
      if ('level' in v.defaultConfiguration) this.oneOf(v.defaultConfiguration.level, `${where}.defaultConfiguration.level`, LEVELS);
    }
    const props = v.properties as Record<string, Json> | undefined;
    if (props) {
      const tags = props.tags;
      if (Array.isArray(tags) && tags.length > GITHUB_LIMITS.tagsPerRule) this.fail(`${where}.properties.tags`, 'too many tags');
      const sev = props['security-severity'];
      if (sev !== undefined) {
        const n = typeof sev === 'string' && /^\d+(\.\d+)?$/.test(sev) ? Number(sev) : NaN;
        if (!(n >= 0 && n <= 10)) this.fail(`${where}.properties.security-severity`, 'expected a number 0.0–10.0 as a string');
      }
    }
  }

  notification(v: Json, where: string): void {
    if (!this.object(v, where, 'notification', ['message'])) return;
    this.message(v.message, `${where}.message`);
    if ('level' in v) this.oneOf(v.level, `${where}.level`, LEVELS);
    if ('descriptor' in v) this.object(v.descriptor, `${where}.descriptor`, 'reportingDescriptorReference');
    if ('locations' in v && this.array(v.locations, `${where}.locations`)) {
      v.locations.forEach((l, i) => this.location(l, `${where}.locations[${i}]`, false));
    }
  }

  result(v: Json, where: string, rules: Json[]): void {
    if (!this.object(v, where, 'result', ['message'])) return;
    this.message(v.message, `${where}.message`);
    if (!('ruleId' in v)) this.fail(where, 'GitHub needs ruleId');
    else this.string(v.ruleId, `${where}.ruleId`);
    if ('ruleIndex' in v) {
      this.int(v.ruleIndex, `${where}.ruleIndex`, -1);
      const rule = typeof v.ruleIndex === 'number' ? rules[v.ruleIndex] : undefined;
      if (!rule || (rule as { id?: unknown }).id !== v.ruleId) this.fail(`${where}.ruleIndex`, 'does not point at the rule named by ruleId');
    }
    if ('level' in v) this.oneOf(v.level, `${where}.level`, LEVELS);
    if ('kind' in v) this.oneOf(v.kind, `${where}.kind`, KINDS);
    if (!('locations' in v) || !this.array(v.locations, `${where}.locations`) || v.locations.length === 0) {
      this.fail(where, 'GitHub needs at least one location');
    } else {
      if (v.locations.length > GITHUB_LIMITS.locationsPerResult) this.fail(where, 'too many locations');
      v.locations.forEach((l, i) => this.location(l, `${where}.locations[${i}]`, true));
    }
    for (const key of ['partialFingerprints', 'fingerprints'] as const) {
      if (!(key in v)) continue;
      const fp = v[key];
      if (typeof fp !== 'object' || fp === null || Array.isArray(fp)) this.fail(`${where}.${key}`, 'expected object');
      else for (const [k, val] of Object.entries(fp)) this.string(val, `${where}.${key}.${k}`);
    }
    if ('suppressions' in v && this.array(v.suppressions, `${where}.suppressions`)) {
      if (new Set(v.suppressions.map((s) => JSON.stringify(s))).size !== v.suppressions.length) {
        this.fail(`${where}.suppressions`, 'items must be unique');
      }
      v.suppressions.forEach((s, i) => {
        const w = `${where}.suppressions[${i}]`;
        if (!this.object(s, w, 'suppression', ['kind'])) return;
        this.oneOf(s.kind, `${w}.kind`, ['inSource', 'external']);
        if ('status' in s) this.oneOf(s.status, `${w}.status`, ['accepted', 'underReview', 'rejected']);
        if ('justification' in s) this.string(s.justification, `${w}.justification`);
        if ('location' in s) this.location(s.location, `${w}.location`, false);
      });
    }
  }

  run(v: Json, where: string): void {
    if (!this.object(v, where, 'run', ['tool'])) return;
    if (!this.object(v.tool, `${where}.tool`, 'tool', ['driver'])) return;
    const driver = v.tool.driver;
    if (!this.object(driver, `${where}.tool.driver`, 'toolComponent', ['name'])) return;
    this.string(driver.name, `${where}.tool.driver.name`);
    for (const key of ['version', 'semanticVersion'] as const) if (key in driver) this.string(driver[key], `${where}.tool.driver.${key}`);
    if ('informationUri' in driver) this.uri(driver.informationUri, `${where}.tool.driver.informationUri`, false);
    let rules: Json[] = [];
    if ('rules' in driver && this.array(driver.rules, `${where}.tool.driver.rules`)) {
      rules = driver.rules;
      if (rules.length > GITHUB_LIMITS.rulesPerRun) this.fail(`${where}.tool.driver.rules`, 'too many rules for GitHub');
      const ids = rules.map((r) => (r as { id?: unknown }).id);
      if (new Set(ids).size !== ids.length) this.fail(`${where}.tool.driver.rules`, 'duplicate rule ids');
      rules.forEach((r, i) => this.rule(r, `${where}.tool.driver.rules[${i}]`));
    }
    if ('invocations' in v && this.array(v.invocations, `${where}.invocations`)) {
      v.invocations.forEach((inv, i) => {
        const w = `${where}.invocations[${i}]`;
        if (!this.object(inv, w, 'invocation', ['executionSuccessful'])) return;
        if (typeof inv.executionSuccessful !== 'boolean') this.fail(`${w}.executionSuccessful`, 'expected boolean');
        for (const key of ['toolExecutionNotifications', 'toolConfigurationNotifications'] as const) {
          if (key in inv && this.array(inv[key], `${w}.${key}`)) {
            (inv[key] as Json[]).forEach((n, j) => this.notification(n, `${w}.${key}[${j}]`));
          }
        }
      });
    }
    if ('results' in v && this.array(v.results, `${where}.results`)) {
      if (v.results.length > GITHUB_LIMITS.resultsPerRun) this.fail(`${where}.results`, 'too many results for GitHub');
      v.results.forEach((r, i) => this.result(r, `${where}.results[${i}]`, rules));
    }
  }
}

/** Every problem found in a SARIF log; an empty list means valid. */
export function validateSarif(doc: Json): string[] {
  const c = new Checker();
  if (c.object(doc, '$', 'log', ['version', 'runs'])) {
    if (doc.version !== '2.1.0') c.fail('$.version', 'expected "2.1.0"');
    if ('$schema' in doc) c.uri(doc.$schema, '$.$schema', false);
    if (c.array(doc.runs, '$.runs')) {
      if (doc.runs.length > GITHUB_LIMITS.runs) c.fail('$.runs', 'too many runs for GitHub');
      doc.runs.forEach((r, i) => c.run(r, `$.runs[${i}]`));
    }
  }
  return c.errors;
}
