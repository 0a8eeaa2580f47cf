using System.Diagnostics;
using System.Globalization;

namespace ScenarioKit.LoadTest;

/// <summary>The process's memory over a run (soak): RSS, the GC heap after the last collection, committed GC memory.</summary>
sealed class MemorySampler
{
    readonly List<string> _rows = [];

    public void Sample(TimeSpan at)
    {
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        const double MB = 1024 * 1024;
        var row = string.Create(CultureInfo.InvariantCulture,
            $"{at.TotalSeconds,6:F0} s  RSS {process.WorkingSet64 / MB,7:F1} MB  GC heap {gc.HeapSizeBytes / MB,7:F1} MB  committed {gc.TotalCommittedBytes / MB,7:F1} MB  gen2 GCs {GC.CollectionCount(2)}");
        _rows.Add(row);
        Console.WriteLine("memory " + row);
    }

    public void Print()
    {
        Console.WriteLine("memory over the measured window:");
        foreach (var row in _rows) Console.WriteLine("  " + row);
    }
}
