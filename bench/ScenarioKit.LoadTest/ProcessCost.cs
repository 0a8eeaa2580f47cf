using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace ScenarioKit.LoadTest;

/// <summary>
/// What this process spent over a measured window, as counts that do not depend on how much of the machine the run
/// got: CPU split by thread name (Linux, from <c>/proc/self/task</c>), bytes allocated, collections and their pauses,
/// methods the JIT compiled, thread-pool work items and contended locks. Divided by the turns they give a turn's cost
/// on a shared machine, where turns/s swing with the neighbours (docs/performance.md, "Issue 14").
/// </summary>
sealed record ProcessCost(
    TimeSpan Cpu,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    TimeSpan GcPause,
    long JitMethods,
    TimeSpan JitTime,
    long WorkItems,
    long LockContentions,
    IReadOnlyDictionary<string, TimeSpan> CpuByThread)
{
    public static ProcessCost Now()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessCost(
            process.TotalProcessorTime,
            GC.GetTotalAllocatedBytes(precise: false),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            GC.GetTotalPauseDuration(),
            JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime(),
            ThreadPool.CompletedWorkItemCount,
            Monitor.LockContentionCount,
            ThreadCpu());
    }

    /// <summary>The cost from <paramref name="before"/> to this snapshot. Threads that ended in between are in <see cref="Cpu"/> only.</summary>
    public ProcessCost Since(ProcessCost before)
    {
        var byThread = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var (key, cpu) in CpuByThread)
        {
            var name = key[..key.IndexOf('#')];
            var spent = cpu - before.CpuByThread.GetValueOrDefault(key);
            byThread[name] = byThread.GetValueOrDefault(name) + spent;
        }
        return new ProcessCost(
            Cpu - before.Cpu, AllocatedBytes - before.AllocatedBytes,
            Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2, GcPause - before.GcPause,
            JitMethods - before.JitMethods, JitTime - before.JitTime,
            WorkItems - before.WorkItems, LockContentions - before.LockContentions, byThread);
    }

    public void Print(long turns)
    {
        var ci = CultureInfo.InvariantCulture;
        double PerTurn(double value) => value / Math.Max(1, turns);
        Console.WriteLine(string.Create(ci,
            $"per turn         {PerTurn(AllocatedBytes):F0} B allocated, {PerTurn(WorkItems):F2} thread-pool work items, {PerTurn(LockContentions):F3} contended locks"));
        Console.WriteLine(string.Create(ci,
            $"GC / JIT         {Gen0}/{Gen1}/{Gen2} collections (gen0/1/2), {GcPause.TotalMilliseconds:F0} ms paused; {JitMethods} methods jitted in {JitTime.TotalMilliseconds:F0} ms"));
        if (CpuByThread.Count == 0) return;
        var parts = CpuByThread.Where(p => p.Value > TimeSpan.Zero).OrderByDescending(p => p.Value)
            .Select(p => string.Create(ci, $"{p.Key} {p.Value.TotalMilliseconds * 1000 / Math.Max(1, turns):F0}"));
        Console.WriteLine("CPU µs per turn  by thread: " + string.Join(", ", parts));
    }

    /// <summary>Each live thread's user + system time, keyed "name#tid" (empty off Linux).</summary>
    static Dictionary<string, TimeSpan> ThreadCpu()
    {
        var result = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux()) return result;
        var ticksPerSecond = 100.0; // USER_HZ: 100 on every Linux .NET runs on
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                // pid (comm) state ... : comm may hold spaces and parentheses, so split after the last ')'.
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                var name = stat[(open + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                result[name + "#" + Path.GetFileName(task)] = TimeSpan.FromSeconds(ticks / ticksPerSecond);
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }
        return result;
    }
}
