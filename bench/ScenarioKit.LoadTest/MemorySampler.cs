using System.Diagnostics;
using System.Globalization;

namespace ScenarioKit.LoadTest;

/// <summary>
/// The process's memory over a run (soak): RSS, the GC heap after the last collection, committed GC memory; with
/// <c>liveHeap</c> also the live managed heap, after a full blocking collection the sample forces (one pause per sample).
/// Between background collections the heap also holds gen2 garbage, so without it a growing heap cannot be told from a leak.
/// </summary>
sealed class MemorySampler(bool liveHeap)
{
    readonly List<string> _rows = [];

    public void Sample(TimeSpan at)
    {
        var live = liveHeap ? GC.GetTotalMemory(forceFullCollection: true) : -1;
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        const double MB = 1024 * 1024;
        var row = string.Create(CultureInfo.InvariantCulture,
            $"{at.TotalSeconds,6:F0} s  {(live < 0 ? "" : $"live {live / MB,7:F1} MB  ")}RSS {process.WorkingSet64 / MB,7:F1} MB  GC heap {gc.HeapSizeBytes / MB,7:F1} MB  committed {gc.TotalCommittedBytes / MB,7:F1} MB  gen2 GCs {GC.CollectionCount(2)}");
        _rows.Add(row);
        Console.WriteLine("memory " + row);
    }

    public void Print()
    {
        Console.WriteLine("memory over the measured window:");
        foreach (var row in _rows) Console.WriteLine("  " + row);
    }
}
