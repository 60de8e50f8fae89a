// API Management in front of the Function App: the API is imported from the repository's OpenAPI document,
// calls go to the app's /api through a backend, and the policy (apim-policy.xml) swaps the caller's
// subscription key for the app's function key, held here as a secret named value.

param name string
param location string
param tags object

@description('API Management SKU; Consumption is billed per call and needs no capacity.')
@allowed([
  'Consumption'
  'Developer'
  'Basic'
  'BasicV2'
  'Standard'
  'StandardV2'
  'Premium'
])
param skuName string

param publisherEmail string
param publisherName string

@description('Name of the Function App the API forwards to.')
param functionAppName string

// The named value, backend and policy refer to each other by these names.
var functionKeyNamedValue = 'function-key'
var backendName = 'project-exports-functions'

resource functionApp 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource apim 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    capacity: skuName == 'Consumption' ? 0 : 1
  }
  properties: {
    publisherEmail: publisherEmail
    publisherName: publisherName
  }
}

resource functionKey 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: apim
  name: functionKeyNamedValue
  properties: {
    displayName: functionKeyNamedValue
    secret: true
    // The app's default function key, read at deployment; redeploy after rotating it. The Functions host
    // resource (sites/host) has no Bicep types, hence listKeys on its id rather than on a resource symbol.
    value: listKeys('${functionApp.id}/host/default', functionApp.apiVersion).functionKeys.default
  }
}

resource backend 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  parent: apim
  name: backendName
  properties: {
    description: 'The Function App (${functionApp.name})'
    protocol: 'http'
    url: 'https://${functionApp.properties.defaultHostName}/api'
    resourceId: '${environment().resourceManager}${substring(functionApp.id, 1)}'
  }
}

resource api 'Microsoft.ApiManagement/service/apis@2024-05-01' = {
  parent: apim
  name: 'project-exports'
  properties: {
    displayName: 'Project exports'
    // Same paths as the Function App: https://<apim>.azure-api.net/api/projects/{projectId}/…
    path: 'api'
    // Replaces the document's local server; the policy routes to the backend below anyway.
    serviceUrl: 'https://${functionApp.properties.defaultHostName}/api'
    protocols: [
      'https'
    ]
    subscriptionRequired: true
    subscriptionKeyParameterNames: {
      header: 'Ocp-Apim-Subscription-Key'
      query: 'subscription-key'
    }
    format: 'openapi+json'
    value: loadTextContent('../../openapi/project-exports.openapi.json')
  }
}

resource apiPolicy 'Microsoft.ApiManagement/service/apis/policies@2024-05-01' = {
  parent: api
  name: 'policy'
  properties: {
    format: 'rawxml'
    value: loadTextContent('apim-policy.xml')
  }
  dependsOn: [
    functionKey
    backend
  ]
}

// A subscription to this API alone; its key is what callers send as Ocp-Apim-Subscription-Key.
resource callers 'Microsoft.ApiManagement/service/subscriptions@2024-05-01' = {
  parent: apim
  name: 'project-exports-callers'
  properties: {
    displayName: 'Project exports callers'
    scope: '/apis/${api.name}'
    state: 'active'
  }
}

output gatewayUrl string = apim.properties.gatewayUrl
output name string = apim.name
output subscriptionName string = callers.name
