using System.Diagnostics.Tracing;
using System.Globalization;

namespace ScenarioKit.LoadTest;

/// <summary>
/// The garbage collector's pauses in the measured window (<c>--gc-pauses</c>), one by one, from the runtime's own
/// events: a pause runs from <c>GCSuspendEEBegin</c> to <c>GCRestartEEEnd</c> and belongs to the collection last
/// started (its generation; a background collection's short pauses count as gen2 "bgc"). A closed loop's p99 sees
/// single long pauses, which the total pause time hides.
/// </summary>
sealed class GcPauseSampler : EventListener, IMeasuredWindow
{
    const EventKeywords GcKeyword = (EventKeywords)0x1;
    readonly List<(string Kind, double Ms, double SuspendMs, long PromotedBytes)> _pauses = [];
    volatile bool _on;
    string _kind = "?";
    DateTime? _suspended;
    DateTime? _running;
    long _promoted;

    public void Start() => _on = true;

    public void Stop() => _on = false;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name) return;
        lock (_pauses)
        {
            if (name.StartsWith("GCStart", StringComparison.Ordinal) && e.Payload is not null)
            {
                var depth = Convert.ToInt32(e.Payload[e.PayloadNames!.IndexOf("Depth")], CultureInfo.InvariantCulture);
                var type = Convert.ToInt32(e.Payload[e.PayloadNames!.IndexOf("Type")], CultureInfo.InvariantCulture);
                _kind = type == 1 ? "bgc" : "gen" + depth.ToString(CultureInfo.InvariantCulture);
            }
            else if (name.StartsWith("GCSuspendEEBegin", StringComparison.Ordinal)) (_suspended, _running, _promoted) = (e.TimeStamp, null, 0);
            else if (name.StartsWith("GCSuspendEEEnd", StringComparison.Ordinal)) _running = e.TimeStamp;
            else if (name.StartsWith("GCHeapStats", StringComparison.Ordinal) && e.Payload is not null)
                _promoted = Convert.ToInt64(e.Payload[e.PayloadNames!.IndexOf("TotalPromotedSize0")], CultureInfo.InvariantCulture)
                    + Convert.ToInt64(e.Payload[e.PayloadNames!.IndexOf("TotalPromotedSize1")], CultureInfo.InvariantCulture);
            else if (name.StartsWith("GCRestartEEEnd", StringComparison.Ordinal) && _suspended is { } at)
            {
                if (_on) _pauses.Add((_kind, (e.TimeStamp - at).TotalMilliseconds, ((_running ?? at) - at).TotalMilliseconds, _promoted));
                _suspended = null;
            }
        }
    }

    public void Print()
    {
        var ci = CultureInfo.InvariantCulture;
        lock (_pauses)
        {
            Console.WriteLine(string.Create(ci, $"GC pauses        {_pauses.Count} in all, {_pauses.Sum(p => p.Ms):F0} ms"));
            foreach (var group in _pauses.GroupBy(p => p.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var ms = group.Select(p => p.Ms).Order().ToArray();
                Console.WriteLine(string.Create(ci,
                    $"  {group.Key,-4} {ms.Length,5} pauses, mean {ms.Average():F2} ms, p50 {ms[ms.Length / 2]:F2}, p90 {ms[(int)(ms.Length * 0.9)]:F2}, max {ms[^1]:F2}; suspending mean {group.Average(p => p.SuspendMs):F2} ms; promoted mean {group.Average(p => p.PromotedBytes) / 1024:F0} KB"));
            }
        }
    }
}
