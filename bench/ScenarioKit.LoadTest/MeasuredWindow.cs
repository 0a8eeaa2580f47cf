namespace ScenarioKit.LoadTest;

/// <summary>A sampler that counts only inside the closed loop's measured window.</summary>
interface IMeasuredWindow
{
    void Start();

    void Stop();
}

/// <summary>Several samplers started and stopped together.</summary>
sealed class MeasuredWindows(params IMeasuredWindow?[] windows) : IMeasuredWindow
{
    public void Start()
    {
        foreach (var w in windows) w?.Start();
    }

    public void Stop()
    {
        foreach (var w in windows) w?.Stop();
    }
}
