# IAM roles of the platform's workloads, each trusted by exactly one namespace/service account of the
# cluster, through IRSA (default: the service account's eks.amazonaws.com/role-arn annotation, as
# argocd/platform/aws-load-balancer-controller.yaml has it) or EKS Pod Identity associations.
#
#   aws-load-balancer-controller  kube-system/aws-load-balancer-controller  upstream policy (policies/)
#   fluent-bit                    logging/fluent-bit                        es:ESHttpPost/Put on the logs domain
#   keda (optional)               keda/keda-operator                        MSK IAM: describe topics and groups
#   external-secrets              external-secrets/external-secrets         read the database and Kafka secrets
#
# The Fleetwatch services get no role: they call no AWS API (PostgreSQL and Kafka credentials come
# from Kubernetes Secrets, telemetry goes to the in-cluster collector), so their service accounts carry
# no annotation and no token is mounted. A service that starts calling AWS gets its own role here.
# KEDA with SASL/SCRAM (the default) needs no role either: its TriggerAuthentication reads the tenant's
# fleetwatch-kafka Secret.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id

  oidc_issuer_host = replace(var.oidc_issuer_url, "https://", "")

  workloads = merge(
    { aws-load-balancer-controller = var.service_accounts.aws_load_balancer_controller },
    var.fluent_bit_opensearch ? { fluent-bit = var.service_accounts.fluent_bit } : {},
    var.keda_msk_iam ? { keda = var.service_accounts.keda } : {},
    { external-secrets = var.service_accounts.external_secrets },
  )
}

resource "aws_iam_role" "workload" {
  for_each = local.workloads

  name        = "${var.name}-${each.key}"
  description = "${each.key} on EKS cluster ${var.cluster_name} (${each.value.namespace}/${each.value.name} only)"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      var.mechanism == "irsa" ? [{
        Sid       = "IRSA"
        Effect    = "Allow"
        Principal = { Federated = var.oidc_provider_arn }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "${local.oidc_issuer_host}:sub" = "system:serviceaccount:${each.value.namespace}:${each.value.name}"
            "${local.oidc_issuer_host}:aud" = "sts.amazonaws.com"
          }
        }
      }] : [],
      var.mechanism == "pod-identity" ? [{
        Sid       = "PodIdentity"
        Effect    = "Allow"
        Principal = { Service = "pods.eks.amazonaws.com" }
        Action    = ["sts:AssumeRole", "sts:TagSession"]
        Condition = {
          StringEquals = {
            "aws:SourceAccount"                         = local.account_id
            "aws:RequestTag/eks-cluster-name"           = var.cluster_name
            "aws:RequestTag/kubernetes-namespace"       = each.value.namespace
            "aws:RequestTag/kubernetes-service-account" = each.value.name
          }
        }
      }] : [],
    )
  })

  tags = merge(var.tags, {
    "fleetwatch.io/namespace"       = each.value.namespace
    "fleetwatch.io/service-account" = each.value.name
  })
}

resource "aws_eks_pod_identity_association" "workload" {
  for_each = var.mechanism == "pod-identity" ? local.workloads : {}

  cluster_name    = var.cluster_name
  namespace       = each.value.namespace
  service_account = each.value.name
  role_arn        = aws_iam_role.workload[each.key].arn

  tags = var.tags
}

# ---------------------------------------------------------------------------------------------------
# AWS Load Balancer Controller: the IAM policy its project documents for this version (chart 3.5.0,
# controller v3.5.0: docs/install/iam_policy.json), kept in policies/ with the same statements (only
# re-indented by the repository's prettier), so an upgrade is a diff of that file. The controller
# only changes load balancers, target groups and security groups tagged as its own
# (elbv2.k8s.aws/cluster); describe calls cannot be scoped to resources.
# ---------------------------------------------------------------------------------------------------

resource "aws_iam_policy" "aws_load_balancer_controller" {
  name        = "${var.name}-aws-load-balancer-controller"
  description = "AWS Load Balancer Controller v3.5.0 (upstream docs/install/iam_policy.json)"
  policy      = file("${path.module}/policies/aws-load-balancer-controller.json")

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "aws_load_balancer_controller" {
  role       = aws_iam_role.workload["aws-load-balancer-controller"].name
  policy_arn = aws_iam_policy.aws_load_balancer_controller.arn
}

# ---------------------------------------------------------------------------------------------------
# Fluent Bit: write (bulk) to the logs domain. Inside OpenSearch, fine-grained access control maps the
# role to a role that may only write logs-* indices (README.md).
# ---------------------------------------------------------------------------------------------------

resource "aws_iam_role_policy" "fluent_bit" {
  count = var.fluent_bit_opensearch ? 1 : 0

  name = "opensearch-write"
  role = aws_iam_role.workload["fluent-bit"].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["es:ESHttpPost", "es:ESHttpPut"]
      Resource = [var.opensearch_domain_arn, "${var.opensearch_domain_arn}/*"]
    }]
  })

  lifecycle {
    precondition {
      condition     = var.opensearch_domain_arn != null
      error_message = "fluent_bit_opensearch needs opensearch_domain_arn."
    }
  }
}

# ---------------------------------------------------------------------------------------------------
# KEDA with MSK IAM authentication (optional): read consumer group offsets and topic end offsets.
# ---------------------------------------------------------------------------------------------------

resource "aws_iam_role_policy" "keda" {
  count = var.keda_msk_iam ? 1 : 0

  name = "msk-consumer-lag"
  role = aws_iam_role.workload["keda"].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Cluster"
        Effect   = "Allow"
        Action   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
        Resource = var.msk_cluster_arn
      },
      {
        Sid      = "TopicsAndGroups"
        Effect   = "Allow"
        Action   = ["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeGroup"]
        Resource = ["${replace(var.msk_cluster_arn, ":cluster/", ":topic/")}/*", "${replace(var.msk_cluster_arn, ":cluster/", ":group/")}/*"]
      },
    ]
  })

  lifecycle {
    precondition {
      condition     = var.msk_cluster_arn != null
      error_message = "keda_msk_iam needs msk_cluster_arn."
    }
  }
}

# ---------------------------------------------------------------------------------------------------
# External Secrets: read exactly the secrets the tenants' Secrets are made from, decrypt them only
# through Secrets Manager.
# ---------------------------------------------------------------------------------------------------

resource "aws_iam_role_policy" "external_secrets" {
  name = "read-platform-secrets"
  role = aws_iam_role.workload["external-secrets"].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
        Resource = var.external_secrets_secret_arns
      },
      {
        Sid      = "DecryptThroughSecretsManager"
        Effect   = "Allow"
        Action   = "kms:Decrypt"
        Resource = var.external_secrets_kms_key_arns
        Condition = {
          StringEquals = { "kms:ViaService" = "secretsmanager.${local.region}.amazonaws.com" }
        }
      },
    ]
  })
}
