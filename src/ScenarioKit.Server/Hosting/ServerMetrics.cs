using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace ScenarioKit.Server.Hosting;

/// <summary>
/// Turn, handoff and fallback counters and a turn-latency histogram per scenario, rendered as Prometheus
/// text format 0.0.4. Hand-written rather than the OpenTelemetry Prometheus exporter, which is still a
/// beta package: a few lock-free counters are all this needs.
/// </summary>
internal sealed class ServerMetrics
{
    // Seconds; a turn is expected to take well under 20 ms (docs/performance.md).
    static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    readonly ConcurrentDictionary<string, ScenarioCounters> _byScenario = new(StringComparer.Ordinal);
    long _rejected;

    public void RecordTurn(string scenarioId, TimeSpan duration, bool fallback, bool handoff)
    {
        var c = _byScenario.GetOrAdd(scenarioId, static _ => new ScenarioCounters());
        Interlocked.Increment(ref c.Turns);
        if (fallback) Interlocked.Increment(ref c.Fallbacks);
        if (handoff) Interlocked.Increment(ref c.Handoffs);
        var seconds = duration.TotalSeconds;
        var i = 0;
        while (i < Buckets.Length && seconds > Buckets[i]) i++;
        Interlocked.Increment(ref c.BucketCounts[i]);
        InterlockedAdd(ref c.SumMicros, (long)(seconds * 1_000_000));
    }

    public void RecordRejectedRequest() => Interlocked.Increment(ref _rejected);

    public string Render()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        var scenarios = _byScenario.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        Counter("scenariokit_turns_total", "Turns run by the bot.", c => c.Turns);
        Counter("scenariokit_handoffs_total", "Conversations handed to a human agent.", c => c.Handoffs);
        Counter("scenariokit_fallbacks_total", "Turns that fell back (input not understood).", c => c.Fallbacks);

        sb.Append("# HELP scenariokit_turn_duration_seconds Time to run and persist one turn.\n# TYPE scenariokit_turn_duration_seconds histogram\n");
        foreach (var (id, c) in scenarios)
        {
            long cumulative = 0;
            for (var i = 0; i < Buckets.Length; i++)
            {
                cumulative += Volatile.Read(ref c.BucketCounts[i]);
                sb.Append(ci, $"scenariokit_turn_duration_seconds_bucket{{scenario=\"{Escape(id)}\",le=\"{Buckets[i].ToString(ci)}\"}} {cumulative}\n");
            }
            cumulative += Volatile.Read(ref c.BucketCounts[Buckets.Length]);
            sb.Append(ci, $"scenariokit_turn_duration_seconds_bucket{{scenario=\"{Escape(id)}\",le=\"+Inf\"}} {cumulative}\n");
            sb.Append(ci, $"scenariokit_turn_duration_seconds_sum{{scenario=\"{Escape(id)}\"}} {(Volatile.Read(ref c.SumMicros) / 1_000_000.0).ToString(ci)}\n");
            sb.Append(ci, $"scenariokit_turn_duration_seconds_count{{scenario=\"{Escape(id)}\"}} {cumulative}\n");
        }
        sb.Append("# HELP scenariokit_rejected_requests_total Requests answered with a 4xx.\n# TYPE scenariokit_rejected_requests_total counter\n");
        sb.Append(ci, $"scenariokit_rejected_requests_total {Volatile.Read(ref _rejected)}\n");
        return sb.ToString();

        void Counter(string name, string help, Func<ScenarioCounters, long> read)
        {
            sb.Append(ci, $"# HELP {name} {help}\n# TYPE {name} counter\n");
            foreach (var (id, c) in scenarios) sb.Append(ci, $"{name}{{scenario=\"{Escape(id)}\"}} {read(c)}\n");
        }
    }

    static string Escape(string label) => label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    static void InterlockedAdd(ref long target, long value) => Interlocked.Add(ref target, value);

    sealed class ScenarioCounters
    {
        public long Turns;
        public long Handoffs;
        public long Fallbacks;
        public long SumMicros;
        public readonly long[] BucketCounts = new long[Buckets.Length + 1];
    }
}
