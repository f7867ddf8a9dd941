import { affirms } from './negation.js';

/**
 * What a technology is to an experiment, which decides how a card ties it to one: a mechanism
 * whose effect can be toggled, an approximate index, what runs the arms, what provisions their
 * machines, what routes requests to them, what serves calls between parts, what computes the
 * metric, what shows it, what holds the arms' configuration, the framework the pipeline under test
 * is built with, what controls access (and touches no measurement), or (the rest) what records or
 * carries the data.
 */
export type TechnologyRole =
  | 'mechanism'
  | 'index'
  | 'runner'
  | 'provisioner'
  | 'router'
  | 'interface'
  | 'engine'
  | 'dashboard'
  | 'configuration'
  | 'framework'
  | 'access'
  | 'record';

/**
 * Technologies and infrastructure a candidate may name, each with its role; each should serve a
 * hypothesis.
 */
const TECHNOLOGIES: Readonly<Record<string, TechnologyRole>> = {
  Kafka: 'record',
  Spark: 'engine',
  Flink: 'engine',
  Beam: 'engine',
  Airflow: 'runner',
  Kubernetes: 'runner',
  Docker: 'runner',
  Redis: 'mechanism',
  Memcached: 'mechanism',
  Postgres: 'record',
  PostgreSQL: 'record',
  MySQL: 'record',
  Cassandra: 'record',
  DynamoDB: 'record',
  MongoDB: 'record',
  BigQuery: 'engine',
  Snowflake: 'engine',
  ClickHouse: 'engine',
  Elasticsearch: 'record',
  S3: 'record',
  HDFS: 'record',
  Ray: 'runner',
  Dask: 'runner',
  RabbitMQ: 'record',
  'Pub/Sub': 'record',
  Kinesis: 'record',
  gRPC: 'interface',
  GraphQL: 'interface',
  Terraform: 'provisioner',
  Pinecone: 'index',
  FAISS: 'index',
  Milvus: 'index',
  Weaviate: 'index',
  Qdrant: 'index',
  pgvector: 'index',
  vLLM: 'mechanism',
  Triton: 'mechanism',
  TensorRT: 'mechanism',
  Prometheus: 'dashboard',
  Grafana: 'dashboard',
  Datadog: 'dashboard',
  Iceberg: 'record',
  'Delta Lake': 'record',
  Parquet: 'record',
  Lambda: 'runner',
  microservices: 'runner',
  'load balancer': 'router',
  sharding: 'mechanism',
  CDN: 'mechanism',
  'vector database': 'index',
  'feature store': 'record',
  'message queue': 'record',
  'data lake': 'record',
  Druid: 'engine',
  Pinot: 'engine',
  Presto: 'engine',
  Trino: 'engine',
  Hive: 'engine',
  Hadoop: 'engine',
  Celery: 'runner',
  Temporal: 'runner',
  Argo: 'runner',
  Kubeflow: 'runner',
  MLflow: 'record',
  Nginx: 'router',
  Envoy: 'router',
  Istio: 'router',
  OAuth: 'access',
  gVisor: 'runner',
  Firecracker: 'runner',
  Flask: 'interface',
  FastAPI: 'interface',
  Django: 'interface',
  DuckDB: 'engine',
  'Vertex AI': 'runner',
  SageMaker: 'runner',
  ZooKeeper: 'configuration',
  etcd: 'configuration',
  Tableau: 'dashboard',
  Looker: 'dashboard',
  Metabase: 'dashboard',
  Superset: 'dashboard',
  Streamlit: 'dashboard',
  'Weights & Biases': 'record',
  wandb: 'record',
  'W&B': 'record',
  'Label Studio': 'record',
  LangChain: 'framework',
  LlamaIndex: 'framework',
  Jenkins: 'runner',
  Nomad: 'runner',
  Dagster: 'runner',
  Prefect: 'runner',
  dbt: 'engine',
  LaunchDarkly: 'router',
  PagerDuty: 'dashboard',
};

/** The names of `TECHNOLOGIES`, as a sentence may write them. */
const NAMES = Object.keys(TECHNOLOGIES);

/** The role of a technology `technologiesIn` found. */
export function roleOf(technology: string): TechnologyRole {
  return TECHNOLOGIES[technology] ?? 'record';
}

/** Other names of one technology, read as the first. */
const SAME_AS: Readonly<Record<string, string>> = {
  PostgreSQL: 'Postgres',
  'Weights & Biases': 'W&B',
  wandb: 'W&B',
};

/**
 * Names that are also words of this domain ("temporal confounds", "beam search", "a lambda of
 * 0.1", "the tip of the iceberg", "a superset of the suite"): they name the technology only when
 * written as its name, capitalised. Other names ("spark", "ray", "celery") are the technology in
 * any case.
 */
const ALSO_WORDS = new Set(['Temporal', 'Beam', 'Lambda', 'Iceberg', 'Superset', 'Prefect']);

function alternation(names: readonly string[]): string {
  return names.map((t) => t.replace(/[/.]/g, (c) => `\\${c}`).replace(/ /g, '\\s+')).join('|');
}

const PATTERN = new RegExp(
  `\\b(${alternation(NAMES.filter((t) => !ALSO_WORDS.has(t)))})s?\\b`,
  'gi',
);
/** "Beam search" is a decoding method, not Apache Beam. */
const PROPER = new RegExp(`\\b(${alternation([...ALSO_WORDS])})s?\\b(?!\\s+search)`, 'g');

/** Words that tie a choice to the hypothesis or to a measurement of its effect. */
const TIE =
  /\b(hypothe[sz]\w*|measur\w*|metric\w*|ablat\w*|toggl\w*|a\/b|experiment\w*|baseline|control|effect|so (?:that )?we can (?:test|measure|compare)|to test|eval\w*|significan\w*|\d+\s*%|results?|scores?|pass\/fail|per (?:checkpoint|run|model)|win[- ]?rates?|accuracy)/i;

/**
 * A technology said of the system as it stands, not put forward for the design ("I'm assuming
 * it's a vector database with a keyword index", "index is Elasticsearch, I assume", "the product
 * already runs on Kafka").
 */
const AS_IT_STANDS =
  /\b(?:i(?:'m| am) assuming|i(?:'d| would)? assume|presumably|(?:already|currently) (?:uses?|runs?|sits?|lives?|is|are)\b|(?:today|currently),? (?:it|they|the \w+) (?:uses?|runs?))/i;

/**
 * The technologies a sentence puts forward for the design (see `technologiesIn`): none where it
 * describes what is already there. The round's probe, the red flag and the card's choices read
 * the same.
 */
export function technologiesPutForward(sentence: string): string[] {
  return AS_IT_STANDS.test(sentence) ? [] : technologiesIn(sentence);
}

/** The technologies a sentence names, in their canonical spelling, without repeats. */
export function technologiesIn(sentence: string): string[] {
  const found = new Set<string>();
  const matches = [...sentence.matchAll(PATTERN), ...sentence.matchAll(PROPER)];
  for (const match of matches.sort((a, b) => a.index - b.index)) {
    const raw = (match[1] ?? '').replace(/\s+/g, ' ').toLowerCase();
    const name = NAMES.find((t) => t.toLowerCase() === raw) ?? raw;
    found.add(SAME_AS[name] ?? name);
  }
  return [...found];
}

/**
 * Whether a sentence ties what it names to a hypothesis or a measurement; a tie said not to hold
 * ("it doesn't change the metric", "it serves no hypothesis") is none.
 */
export function tiedToMeasurement(sentence: string): boolean {
  return affirms(TIE, sentence);
}

/**
 * Whether a sentence opens by saying a tie does not hold ("it doesn't change the metric", "it
 * serves no hypothesis, it's access control"): its first tie word is negated.
 */
export function deniesTie(sentence: string): boolean {
  const first = TIE.exec(sentence);
  return (
    (first !== null && !affirms(TIE, sentence.slice(0, first.index + first[0].length))) ||
    UNCHANGED.test(sentence) ||
    NO_TIE.test(sentence)
  );
}

/**
 * What it serves said to be nothing, or named as plumbing ("Kafka itself serves nothing", "None,
 * honestly.", "it's just storage", "more of an enabler"): the guide's "it's just where the numbers
 * live" ties nothing.
 */
const NO_TIE =
  /\b(?:serves?|serving) (?:nothing|none)\b|\b(?:doesn't|does not|don't|do not)\s+(?:really\s+|directly\s+|actually\s+)?serve\b|^(?:\W*(?:honestly|fair|ha|hm+|well|good question)\W*(?!\W))*(?:none|nothing)\b|\bnot (?:tied|linked|connected) to\b|(?:\b(?:it is|is)|'s) (?:just |only |mostly |more of |really )*(?:the |a )?(?:plumbing|an? enabler|storage|schedul(?:ing|er)|orchestrat(?:ion|or)|transport|bookkeeping)\b/i;

/**
 * A measure said to stay as it is without the technology ("switch it off and the metric is the
 * same", "the accuracy numbers wouldn't change, we'd just get them later"): what it serves is
 * speed, cost or convenience, not the measurement.
 */
const UNCHANGED =
  /\b(?:get|gets|give|gives|see|have) the same (?:metric|number|result|score|accuracy|rate|value)s?\b|\b(?:metric|number|result|score|accuracy|rate|asr|value)s?(?:'s)?\b[^.;!?]{0,40}?(?:\b(?:same|unchanged|identical)\b(?=\s*(?:[.,;:!?)\u2013\u2014-]|$|either\b|whether\b|if\b|without\b|regardless\b|anyway\b|wherever\b|however\b|whichever\b|as before\b|with or\b))|(?:n't|\bnot|\bnever)\s+(?:really\s+|actually\s+|at all\s+)?(?:change|move))/i;
