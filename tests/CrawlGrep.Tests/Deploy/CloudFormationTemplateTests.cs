using YamlDotNet.RepresentationModel;

namespace CrawlGrep.Tests.Deploy;

/// <summary>
/// deploy/crawlgrep.yaml holds what the worker relies on, and its role grants no more than the worker uses. Read as
/// plain YAML: CloudFormation's short forms (!Ref, !Sub, !GetAtt, !If) stay tags on their nodes. (No CloudFormation
/// linter runs offline from the registries reached here: AWS's cfn-lint is a Python package, and the npm package of
/// that name is an unrelated validator whose resource list predates Lambda's Architectures and LoggingConfig.)
/// </summary>
public sealed class CloudFormationTemplateTests
{
    private static readonly Lazy<YamlMappingNode> Template = new(() =>
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(PublishedLambdaBinary.RepositoryRoot, "deploy", "crawlgrep.yaml")))
            yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    });

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (string key in path)
        {
            Assert.True(node is YamlMappingNode m && m.Children.ContainsKey(key), $"no '{key}' in the template at {string.Join('.', path)}");
            node = ((YamlMappingNode)node)[key];
        }
        return node;
    }

    /// <summary>A node's tag ("!Ref", "!Sub"...), or "" for a plain node.</summary>
    private static string TagOf(YamlNode node) => node.Tag.IsEmpty || node.Tag.IsNonSpecific ? "" : node.Tag.Value;

    private static string Scalar(YamlNode node) => Assert.IsType<YamlScalarNode>(node).Value!;

    private static YamlMappingNode Resource(string name, string type)
    {
        var resource = (YamlMappingNode)At(Template.Value, "Resources", name);
        Assert.Equal(type, Scalar(At(resource, "Type")));
        return resource;
    }

    private static void AssertRef(YamlNode node, string parameter)
    {
        Assert.Equal("!Ref", TagOf(node));
        Assert.Equal(parameter, Scalar(node));
    }

    /// <summary>The role's statements, each with its actions and resources as written (a !Sub's template, a !GetAtt's target).</summary>
    private static List<(string Sid, List<string> Actions, List<string> Resources)> Statements()
    {
        var role = Resource("Role", "AWS::IAM::Role");
        var policies = Assert.IsType<YamlSequenceNode>(At(role, "Properties", "Policies"));
        var statements = new List<(string, List<string>, List<string>)>();
        foreach (var policy in policies)
            foreach (var item in Assert.IsType<YamlSequenceNode>(At(policy, "PolicyDocument", "Statement")))
            {
                // !If [condition, statement, !Ref AWS::NoValue]: the statement when the condition holds
                var statement = TagOf(item) == "!If" ? ((YamlSequenceNode)item)[1] : item;
                Assert.Equal("Allow", Scalar(At(statement, "Effect")));
                statements.Add((Scalar(At(statement, "Sid")), Strings(At(statement, "Action")), Strings(At(statement, "Resource"))));
            }
        return statements;
    }

    private static List<string> Strings(YamlNode node) => node switch
    {
        YamlScalarNode s => [TagOf(s) == "" ? s.Value! : $"{TagOf(s)} {s.Value}"],
        YamlSequenceNode seq when TagOf(node) == "" => seq.SelectMany(Strings).ToList(),
        // !Split [",", !Sub [template, {vars}]]: the per-bucket ARN template
        YamlSequenceNode seq when TagOf(node) == "!Split" => Strings(seq[1]),
        YamlSequenceNode seq when TagOf(node) == "!Sub" => [$"!Sub {Scalar(seq[0])}"],
        _ => throw new Xunit.Sdk.XunitException($"unexpected node in a statement: {node.Tag} {node}"),
    };

    [Fact]
    public void FunctionIsTheBootstrapOfProvidedAl2023WithOneVcpuAndLambdasLongestTimeout()
    {
        var function = At(Resource("Function", "AWS::Lambda::Function"), "Properties");
        Assert.Equal("provided.al2023", Scalar(At(function, "Runtime")));
        Assert.Equal("bootstrap", Scalar(At(function, "Handler")));
        Assert.Equal("900", Scalar(At(function, "Timeout")));
        AssertRef(At(function, "MemorySize"), "MemorySize");
        Assert.Equal("1769", Scalar(At(Template.Value, "Parameters", "MemorySize", "Default")));
        AssertRef(Assert.Single(Assert.IsType<YamlSequenceNode>(At(function, "Architectures"))), "Architecture");
        var allowed = Assert.IsType<YamlSequenceNode>(At(Template.Value, "Parameters", "Architecture", "AllowedValues")).Select(Scalar);
        Assert.Equal(["arm64", "x86_64"], allowed.Order());
        AssertRef(At(function, "Code", "S3Bucket"), "CodeBucket");
        AssertRef(At(function, "Code", "S3Key"), "CodeKey");
        Assert.Equal("!GetAtt", TagOf(At(function, "Role")));
        Assert.Equal("Role.Arn", Scalar(At(function, "Role")));
        Assert.Equal("!If", TagOf(At(function, "ReservedConcurrentExecutions"))); // none unless asked for
        Assert.Equal("-1", Scalar(At(Template.Value, "Parameters", "ReservedConcurrency", "Default")));
    }

    [Fact]
    public void LogGroupIsTheFunctionsWithRetention()
    {
        var group = At(Resource("LogGroup", "AWS::Logs::LogGroup"), "Properties");
        Assert.Equal("!Sub", TagOf(At(group, "LogGroupName")));
        Assert.Equal("/aws/lambda/${FunctionName}", Scalar(At(group, "LogGroupName")));
        AssertRef(At(group, "RetentionInDays"), "LogRetentionInDays");
        Assert.Equal("14", Scalar(At(Template.Value, "Parameters", "LogRetentionInDays", "Default")));
        AssertRef(At(Resource("Function", "AWS::Lambda::Function"), "Properties", "LoggingConfig", "LogGroup"), "LogGroup");
    }

    [Fact]
    public void RoleGrantsOnlyWhatTheWorkerUses()
    {
        var statements = Statements();
        var all = statements.SelectMany(s => s.Actions).ToList();
        Assert.DoesNotContain(all, a => a.EndsWith('*')); // no s3:*, logs:*, s3:Get*
        Assert.All(statements, s => Assert.DoesNotContain("*", s.Resources));
        Assert.DoesNotContain("s3:ListBucket", all); // the worker reads known keys
        Assert.DoesNotContain("logs:CreateLogGroup", all); // the stack creates it

        foreach (var s in statements.Where(s => s.Actions.Any(a => a.StartsWith("s3:"))))
            Assert.All(s.Resources, r => Assert.Matches(@"^(!Sub )?arn:aws:s3:::[^*/]+/.*\*$", r)); // objects of a named bucket

        var commonCrawl = Assert.Single(statements, s => s.Resources.Contains("arn:aws:s3:::commoncrawl/*"));
        Assert.Equal(["s3:GetObject"], commonCrawl.Actions);

        var inputs = Assert.Single(statements, s => s.Sid == "ReadInputBuckets");
        Assert.Equal(["s3:GetObject"], inputs.Actions);
        Assert.Equal(["!Sub arn:aws:s3:::${Buckets}/*"], inputs.Resources);
        Assert.Equal("CommaDelimitedList", Scalar(At(Template.Value, "Parameters", "InputBuckets", "Type")));

        // Writing is allowed below the results prefix and nowhere else.
        var writers = statements.Where(s => s.Actions.Contains("s3:PutObject")).ToList();
        var results = Assert.Single(writers);
        Assert.Equal(["s3:GetObject", "s3:PutObject"], results.Actions.Order());
        Assert.Equal(["!Sub arn:aws:s3:::${ResultsBucket}/${ResultsPrefix}*"], results.Resources);

        var logs = Assert.Single(statements, s => s.Actions.Any(a => a.StartsWith("logs:")));
        Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents"], logs.Actions.Order());
        Assert.Equal(["!GetAtt LogGroup.Arn"], logs.Resources);

        // Failed events go to the stack's own queue, and nowhere else.
        var failed = Assert.Single(statements, s => s.Actions.Any(a => a.StartsWith("sqs:")));
        Assert.Equal(["sqs:SendMessage"], failed.Actions);
        Assert.Equal(["!GetAtt FailedEvents.Arn"], failed.Resources);

        Assert.Equal(all.Count, all.Count(a => a.StartsWith("s3:") || a.StartsWith("logs:") || a == "sqs:SendMessage"));
    }

    [Fact]
    public void DetachedScansFailedEventsGoToAQueueAfterLambdasTwoRetries()
    {
        var config = At(Resource("EventInvokeConfig", "AWS::Lambda::EventInvokeConfig"), "Properties");
        AssertRef(At(config, "FunctionName"), "Function");
        Assert.Equal("2", Scalar(At(config, "MaximumRetryAttempts")));
        var destination = At(config, "DestinationConfig", "OnFailure", "Destination");
        Assert.Equal("!GetAtt", TagOf(destination));
        Assert.Equal("FailedEvents.Arn", Scalar(destination));
        At(Resource("FailedEvents", "AWS::SQS::Queue"), "Properties", "MessageRetentionPeriod");
    }

    [Fact]
    public void OutputsNameAndArn()
    {
        AssertRef(At(Template.Value, "Outputs", "FunctionName", "Value"), "Function");
        Assert.Equal("Function.Arn", Scalar(At(Template.Value, "Outputs", "FunctionArn", "Value")));
    }
}
