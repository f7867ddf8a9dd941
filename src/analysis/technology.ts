import { affirms } from './negation.js';

/** Technologies and infrastructure a candidate may name; each should serve a hypothesis. */
const TECHNOLOGIES = [
  'Kafka',
  'Spark',
  'Flink',
  'Beam',
  'Airflow',
  'Kubernetes',
  'Docker',
  'Redis',
  'Memcached',
  'Postgres',
  'PostgreSQL',
  'MySQL',
  'Cassandra',
  'DynamoDB',
  'MongoDB',
  'BigQuery',
  'Snowflake',
  'ClickHouse',
  'Elasticsearch',
  'S3',
  'HDFS',
  'Ray',
  'Dask',
  'RabbitMQ',
  'Pub/Sub',
  'Kinesis',
  'gRPC',
  'GraphQL',
  'Terraform',
  'Pinecone',
  'FAISS',
  'Milvus',
  'Weaviate',
  'Qdrant',
  'pgvector',
  'vLLM',
  'Triton',
  'TensorRT',
  'Prometheus',
  'Grafana',
  'Datadog',
  'Iceberg',
  'Delta Lake',
  'Parquet',
  'Lambda',
  'microservices',
  'load balancer',
  'sharding',
  'CDN',
  'vector database',
  'feature store',
  'message queue',
  'data lake',
  'Druid',
  'Pinot',
  'Presto',
  'Trino',
  'Hive',
  'Hadoop',
  'Celery',
  'Temporal',
  'Argo',
  'Kubeflow',
  'MLflow',
  'Nginx',
  'Envoy',
  'Istio',
  'OAuth',
  'gVisor',
  'Firecracker',
  'Flask',
  'FastAPI',
  'Django',
  'DuckDB',
  'Vertex AI',
  'SageMaker',
  'ZooKeeper',
  'etcd',
  'Tableau',
  'Looker',
  'Metabase',
  'Superset',
  'Streamlit',
  'Weights & Biases',
  'wandb',
  'W&B',
  'Label Studio',
  'LangChain',
  'LlamaIndex',
  'Jenkins',
  'Nomad',
  'Dagster',
  'Prefect',
  'dbt',
  'LaunchDarkly',
  'PagerDuty',
];

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
  `\\b(${alternation(TECHNOLOGIES.filter((t) => !ALSO_WORDS.has(t)))})s?\\b`,
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
    const name = TECHNOLOGIES.find((t) => t.toLowerCase() === raw) ?? raw;
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
  /\b(?:serves?|serving) (?:nothing|none)\b|\b(?:doesn't|does not|don't|do not)\s+(?:really\s+|directly\s+|actually\s+)?serve\b|^(?:\W*(?:honestly|fair|ha|hm+|well|good question)\W*)*(?:none|nothing)\b|\bnot (?:tied|linked|connected) to\b|\b(?:it's|it is|is) (?:just |only |mostly |more of |really )*(?:plumbing|an? enabler|storage|scheduling|orchestration|transport|bookkeeping)\b/i;

/**
 * A measure said to stay as it is without the technology ("switch it off and the metric is the
 * same", "the accuracy numbers wouldn't change, we'd just get them later"): what it serves is
 * speed, cost or convenience, not the measurement.
 */
const UNCHANGED =
  /\b(?:metric|number|result|score|accuracy|rate|asr|value)s?(?:'s)?\b[^.;!?]{0,40}?(?:\b(?:same|unchanged|identical)\b|(?:n't|\bnot|\bnever)\s+(?:really\s+|actually\s+|at all\s+)?(?:change|move))/i;
