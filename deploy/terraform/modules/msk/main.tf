# Amazon MSK (provisioned): three brokers, one per data subnet. Clients authenticate with SASL/SCRAM
# over TLS on 9096 (KAFKA_SSL=true, SCRAM-SHA-512 in argocd/values/environment.yaml and the charts);
# IAM authentication (9098) is optional. Data is encrypted at rest with a customer key and in transit
# everywhere (client-broker TLS only, and between brokers). Broker logs go to CloudWatch Logs; the JMX
# and node exporters are on for kube-prometheus-stack.
#
# The services create their topics themselves (ensureTopics) with the broker's
# default.replication.factor; topics are never created by a producer or consumer by accident.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  log_group_name = "/aws/msk/${var.name}/broker"

  client_ports = merge(
    { scram = 9096 },
    var.iam_authentication ? { iam = 9098 } : {},
  )
}

resource "aws_kms_key" "msk" {
  description             = "${var.name}: MSK storage, the SCRAM secret and the broker logs"
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
        Sid       = "CloudWatchLogsOfTheBrokers"
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
          ArnEquals = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group_name}"
          }
        }
      },
    ]
  })

  tags = var.tags
}

resource "aws_kms_alias" "msk" {
  name          = "alias/${var.name}-msk"
  target_key_id = aws_kms_key.msk.key_id
}

resource "aws_cloudwatch_log_group" "broker" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.msk.arn

  tags = var.tags
}

resource "aws_security_group" "msk" {
  name        = "${var.name}-msk"
  description = "MSK brokers of ${var.name}: Kafka clients and Prometheus from the node and pod subnets"
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = local.client_ports

    content {
      description = "Kafka clients (${ingress.key}, TLS) from the EKS node and pod subnets"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.allowed_cidr_blocks
    }
  }

  ingress {
    description = "Prometheus JMX (11001) and node (11002) exporters from the EKS node and pod subnets"
    from_port   = 11001
    to_port     = 11002
    protocol    = "tcp"
    cidr_blocks = var.allowed_cidr_blocks
  }

  # No egress rule: the brokers only talk to each other, through MSK's own network interfaces.

  tags = merge(var.tags, { Name = "${var.name}-msk" })
}

resource "aws_msk_configuration" "this" {
  name           = var.name
  description    = "Brokers of ${var.name}: explicit topics, three replicas, two in sync"
  kafka_versions = [var.kafka_version]

  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    default.replication.factor=3
    min.insync.replicas=2
    num.partitions=${var.default_partitions}
    unclean.leader.election.enable=false
    offsets.topic.replication.factor=3
    transaction.state.log.replication.factor=3
    transaction.state.log.min.isr=2
  PROPERTIES

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = 3
  enhanced_monitoring    = "PER_TOPIC_PER_BROKER"

  broker_node_group_info {
    instance_type   = var.broker_instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.msk.id]

    storage_info {
      ebs_storage_info {
        volume_size = var.broker_volume_size_gib
      }
    }

    connectivity_info {
      public_access {
        type = "DISABLED"
      }
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = aws_kms_key.msk.arn

    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  client_authentication {
    unauthenticated = false

    sasl {
      scram = true
      iam   = var.iam_authentication
    }
  }

  open_monitoring {
    prometheus {
      jmx_exporter {
        enabled_in_broker = true
      }
      node_exporter {
        enabled_in_broker = true
      }
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.broker.name
      }
    }
  }

  tags = var.tags
}

# ---------------------------------------------------------------------------------------------------
# SASL/SCRAM credentials of the services: a Secrets Manager secret whose name starts with AmazonMSK_,
# encrypted with the customer key (MSK refuses the default aws/secretsmanager key), associated with the
# cluster. Its keys, username and password, are those of the tenants' fleetwatch-kafka Secret.
# ---------------------------------------------------------------------------------------------------

# In the state (which is KMS-encrypted in S3, see bootstrap/): MSK needs a value to associate the secret.
resource "random_password" "scram" {
  length  = 40
  special = false
}

resource "aws_secretsmanager_secret" "scram" {
  # checkov:skip=CKV2_AWS_57:MSK has no rotation function for SCRAM secrets; rotating means a new password in this secret and in every tenant's fleetwatch-kafka Secret (External Secrets refreshes them), runbook in README.md.
  name        = "AmazonMSK_${var.name}_${var.scram_username}"
  description = "SASL/SCRAM credentials of the Fleetwatch services on MSK cluster ${var.name}"
  kms_key_id  = aws_kms_key.msk.arn

  recovery_window_in_days = 30

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "scram" {
  secret_id = aws_secretsmanager_secret.scram.id
  secret_string = jsonencode({
    username = var.scram_username
    password = random_password.scram.result
  })
}

resource "aws_msk_scram_secret_association" "this" {
  cluster_arn     = aws_msk_cluster.this.arn
  secret_arn_list = [aws_secretsmanager_secret.scram.arn]

  depends_on = [aws_secretsmanager_secret_version.scram]
}
