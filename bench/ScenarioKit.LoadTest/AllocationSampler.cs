using System.Diagnostics.Tracing;
using System.Globalization;

namespace ScenarioKit.LoadTest;

/// <summary>
/// Bytes allocated per turn by type over the measured window (<c>--alloc-types N</c>), from the runtime's own
/// allocation sampling: a <c>GCAllocationTick</c> event names the type of the object that crossed each ≈ 100 KB of
/// allocation, with the amount since the previous event. Sampled, so small types are approximate, but the big
/// allocators stand out without a profiler attached (docs/performance.md, "Session 7: the request path").
/// </summary>
sealed class AllocationSampler : EventListener, IMeasuredWindow
{
    const EventKeywords GcKeyword = (EventKeywords)0x1;
    readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    volatile bool _on;

    public void Start() => _on = true;

    public void Stop() => _on = false;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on || e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        var type = e.PayloadNames!.IndexOf("TypeName") is >= 0 and var t ? e.Payload[t] as string : null;
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is >= 0 and var a ? Convert.ToInt64(e.Payload[a], CultureInfo.InvariantCulture) : 0;
        lock (_bytesByType) _bytesByType[type ?? "?"] = _bytesByType.GetValueOrDefault(type ?? "?") + amount;
    }

    public void Print(long turns, int top)
    {
        var ci = CultureInfo.InvariantCulture;
        lock (_bytesByType)
        {
            var total = _bytesByType.Values.Sum();
            Console.WriteLine(string.Create(ci, $"allocated by type (sampled, {total / (double)Math.Max(1, turns):F0} B per turn in all):"));
            foreach (var (type, bytes) in _bytesByType.OrderByDescending(p => p.Value).Take(top))
                Console.WriteLine(string.Create(ci, $"  {bytes / (double)Math.Max(1, turns),8:F0} B  {type}"));
        }
    }
}
