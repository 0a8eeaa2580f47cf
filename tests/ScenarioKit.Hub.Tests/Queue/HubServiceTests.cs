using ScenarioKit.Hub.Tests.Support;

namespace ScenarioKit.Hub.Tests.Queue;

/// <summary>Each test gets its own <see cref="HubHarness"/>: a hub over a fresh SQLite file and a fake clock.</summary>
public abstract class HubServiceTests : IDisposable
{
    private protected HubHarness Harness { get; } = new();

    public void Dispose()
    {
        Harness.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static CancellationToken Ct => HubHarness.Ct;
}
