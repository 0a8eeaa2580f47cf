using System.CommandLine;
using System.Text;
using ScenarioKit.Cli.Console;

namespace ScenarioKit.Cli;

static class Program
{
    static async Task<int> Main(string[] args)
    {
        // Japanese input and output must survive on terminals whose default code page is not UTF-8.
        // Without a console (a service, some CI runners) Windows refuses the change; the streams are then bytes anyway.
        try
        {
            System.Console.InputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
            System.Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        }
        catch (IOException)
        {
        }

        var context = CliContext.FromProcess();
        var root = RootCommandFactory.Create(context);
        var config = new InvocationConfiguration { Output = System.Console.Out, Error = System.Console.Error };
        return await CliRunner.InvokeAsync(root, args, config);
    }
}
