// The app's storage account: Entra ID only (shared keys off), with every table, queue and container the app
// uses created up front, and a lifecycle rule as a backstop for the app's own cleanup of export files.

param name string
param location string
param tags object

@description('Blob container the Flex Consumption plan deploys the app package to.')
param deploymentContainerName string

@description('Days the app keeps exports (Exports__Retention); the lifecycle rule deletes files one day later.')
@minValue(1)
param retentionDays int

// The names of StorageNames.cs, one literal each (a test checks that every constant there appears here).
var tableNames = [
  'projectconfig'
  'exports'
  'exportindex'
  'auditlog'
  'imports'
  'apikeys'
  'projectgrants'
  'projects'
]

var queueNames = [
  'project-exports'
  'project-exports-poison'
  'project-imports'
  'project-imports-poison'
]

var appContainerNames = [
  'project-exports'
  'project-imports'
]

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    // No account keys or SAS: the app, the Functions host and the deployment all use Entra ID tokens.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource appContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for containerName in appContainerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

// The app deletes expired exports (record, then blob) itself; this catches any file it missed, a day later.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-expired-transfer-files'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [for containerName in appContainerNames: '${containerName}/']
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: retentionDays + 1
                }
              }
            }
          }
        }
      ]
    }
  }
}

output name string = account.name
