# Amazon OpenSearch Service domain for the platform's logs (Fluent Bit writes logs-<tenant>-YYYY.MM.DD):
# in the data subnets (VPC only), three data nodes and three dedicated masters spread over three AZs,
# encrypted at rest with a customer key and between nodes, HTTPS only with TLS 1.2+, fine-grained access
# control with an IAM master role, audit, slow and error logs in CloudWatch Logs.
#
# Two layers decide who may do what: the domain's access policy (IAM: only the Fluent Bit role and the
# admin role may call it at all) and fine-grained access control inside OpenSearch (the admin role is
# the master user; the Fluent Bit role is mapped to a write-only role once, see README.md).

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  domain_arn = "arn:${local.partition}:es:${local.region}:${local.account_id}:domain/${var.name}"

  log_types = {
    AUDIT_LOGS          = "audit"
    INDEX_SLOW_LOGS     = "index-slow"
    SEARCH_SLOW_LOGS    = "search-slow"
    ES_APPLICATION_LOGS = "application"
  }
}

resource "aws_kms_key" "opensearch" {
  description             = "${var.name}: OpenSearch domain storage and its logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsOfTheDomain"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action = [
          "kms:Encrypt*",
          "kms:Decrypt*",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
        ]
        Resource = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/opensearch/${var.name}/*"
          }
        }
      },
    ]
  })

  tags = var.tags
}

resource "aws_kms_alias" "opensearch" {
  name          = "alias/${var.name}-opensearch"
  target_key_id = aws_kms_key.opensearch.key_id
}

resource "aws_cloudwatch_log_group" "opensearch" {
  for_each = local.log_types

  name              = "/aws/opensearch/${var.name}/${each.value}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.opensearch.arn

  tags = var.tags
}

# OpenSearch Service delivers its logs into these groups only.
resource "aws_cloudwatch_log_resource_policy" "opensearch" {
  policy_name = "${var.name}-opensearch-logs"

  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "es.amazonaws.com" }
      Action    = ["logs:PutLogEvents", "logs:CreateLogStream"]
      Resource  = [for group in aws_cloudwatch_log_group.opensearch : "${group.arn}:*"]
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnLike      = { "aws:SourceArn" = local.domain_arn }
      }
    }]
  })
}

resource "aws_security_group" "opensearch" {
  name        = "${var.name}-opensearch"
  description = "OpenSearch domain ${var.name}: HTTPS from the node and pod subnets"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTPS from the EKS node and pod subnets"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.allowed_cidr_blocks
  }

  # No egress rule: the domain opens no connections into the VPC.

  tags = merge(var.tags, { Name = "${var.name}-opensearch" })
}

resource "aws_iam_service_linked_role" "opensearch" {
  count = var.create_service_linked_role ? 1 : 0

  aws_service_name = "opensearchservice.amazonaws.com"
  description      = "Amazon OpenSearch Service: network interfaces of VPC domains"
}

resource "aws_opensearch_domain" "this" {
  domain_name    = var.name
  engine_version = var.engine_version

  cluster_config {
    instance_type  = var.instance_type
    instance_count = var.instance_count

    dedicated_master_enabled = true
    dedicated_master_type    = var.master_instance_type
    dedicated_master_count   = 3

    zone_awareness_enabled = true
    zone_awareness_config {
      availability_zone_count = 3
    }
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = var.volume_size_gib
  }

  encrypt_at_rest {
    enabled    = true
    kms_key_id = aws_kms_key.opensearch.arn
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }

  advanced_security_options {
    enabled                        = true
    anonymous_auth_enabled         = false
    internal_user_database_enabled = false

    master_user_options {
      master_user_arn = var.admin_role_arn
    }
  }

  vpc_options {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.opensearch.id]
  }

  log_publishing_options {
    log_type                 = "AUDIT_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.opensearch["AUDIT_LOGS"].arn
    enabled                  = true
  }

  log_publishing_options {
    log_type                 = "INDEX_SLOW_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.opensearch["INDEX_SLOW_LOGS"].arn
    enabled                  = true
  }

  log_publishing_options {
    log_type                 = "SEARCH_SLOW_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.opensearch["SEARCH_SLOW_LOGS"].arn
    enabled                  = true
  }

  log_publishing_options {
    log_type                 = "ES_APPLICATION_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.opensearch["ES_APPLICATION_LOGS"].arn
    enabled                  = true
  }

  software_update_options {
    auto_software_update_enabled = true
  }

  tags = var.tags

  depends_on = [
    aws_iam_service_linked_role.opensearch,
    aws_cloudwatch_log_resource_policy.opensearch,
  ]
}

# Only these roles get past the domain's IAM layer; what they may do inside is fine-grained access
# control's business (the Fluent Bit role: write logs-* only).
resource "aws_opensearch_domain_policy" "this" {
  domain_name = aws_opensearch_domain.this.domain_name

  access_policies = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Administrators"
        Effect    = "Allow"
        Principal = { AWS = var.admin_role_arn }
        Action    = "es:ESHttp*"
        Resource  = "${aws_opensearch_domain.this.arn}/*"
      },
      {
        Sid       = "LogWriters"
        Effect    = "Allow"
        Principal = { AWS = var.writer_role_arns }
        Action    = ["es:ESHttpPost", "es:ESHttpPut"]
        Resource  = "${aws_opensearch_domain.this.arn}/*"
      },
    ]
  })
}
